import type { Command } from 'commander';
import { issueApiKey, ROLES } from '../auth/api-keys.js';
import { loadConfig } from '../config/load-config.js';
import type { ApiKeyRole } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';

/** Issuing a key from the command line is how an operator gets in when no admin key is at hand. */
export function registerApiKeyCommands(program: Command): void {
  const keys = program.command('api-key').description('API keys');
  keys
    .command('issue')
    .description('issue an API key for a tenant and print it once')
    .requiredOption('--tenant <slug>', 'tenant slug, e.g. demo')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'admin')
    .option('--name <name>', 'what the key is for', 'issued from the command line')
    .action(async (flags: { tenant: string; role: string; name: string }) => {
      if (!(ROLES as readonly string[]).includes(flags.role)) {
        console.error(`--role must be one of ${ROLES.join(', ')}`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const loaded = await loadConfig(process.env);
      if (!loaded.ok) {
        for (const problem of loaded.problems) console.error(`invalid configuration: ${problem}`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const database = await openConfiguredDatabase(loaded.config);
      let exitCode: number = ExitCode.ok;
      try {
        const migrated = await migrateDatabase(database.db);
        if (migrated.error !== undefined) throw migrated.error;
        const tenant = await database.db
          .selectFrom('tenants')
          .select('id')
          .where('slug', '=', flags.tenant)
          .executeTakeFirst();
        if (tenant === undefined) {
          console.error(`no tenant with slug "${flags.tenant}"`);
          exitCode = ExitCode.usage;
          return;
        }
        const issued = await issueApiKey(database.db, tenant.id, flags.name, flags.role as ApiKeyRole);
        console.log(issued.key);
        console.error(
          `issued ${issued.role} key ${issued.prefix}… for tenant ${flags.tenant}; it is not shown again`,
        );
      } finally {
        await database.close();
        // Set after closing: closing PGlite resets process.exitCode.
        process.exitCode = exitCode;
      }
    });
}
