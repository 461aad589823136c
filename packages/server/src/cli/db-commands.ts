import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description(
      'bring the schema up to date (DATABASE_URL, else the embedded database in TOLLGATE_DATA_DIR)',
    )
    .action(async () => {
      const loaded = await loadConfig(process.env);
      if (!loaded.ok) {
        for (const problem of loaded.problems) console.error(`invalid configuration: ${problem}`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const database = await openConfiguredDatabase(loaded.config);
      try {
        const outcome = await migrateDatabase(database.db);
        for (const name of outcome.applied) console.log(`applied ${name}`);
        if (outcome.error !== undefined) throw outcome.error;
        if (outcome.applied.length === 0) console.log('schema is up to date');
      } finally {
        await database.close();
      }
    });
}
