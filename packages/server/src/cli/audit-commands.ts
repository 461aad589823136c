import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type AuditVerification, verifyAuditChain } from '../audit/verify-audit-chain.js';
import { loadConfig } from '../config/load-config.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description(
      "recompute every tenant's audit chain and print every break (DATABASE_URL, else the embedded " +
        `database in TOLLGATE_DATA_DIR); exit ${ExitCode.ok} when intact, ${ExitCode.auditBroken} when broken`,
    )
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { json?: boolean }) => {
      const loaded = await loadConfig(process.env);
      if (!loaded.ok) {
        for (const problem of loaded.problems) console.error(`invalid configuration: ${problem}`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const { config } = loaded;
      // Verifying must not create an empty embedded database where the user meant an existing one.
      if (config.databaseUrl === undefined && !existsSync(resolve(config.dataDir, 'PG_VERSION'))) {
        console.error(
          `no embedded database in ${resolve(config.dataDir)}: set TOLLGATE_DATA_DIR, or DATABASE_URL for PostgreSQL`,
        );
        process.exitCode = ExitCode.usage;
        return;
      }
      const database = await openConfiguredDatabase(config);
      let verification: AuditVerification;
      let slugs: Map<string, string>;
      try {
        verification = await verifyAuditChain(database.db);
        const tenants = await database.db.selectFrom('tenants').select(['id', 'slug']).execute();
        slugs = new Map(tenants.map((t) => [t.id, t.slug]));
      } finally {
        await database.close();
      }
      if (flags.json === true) printJson(verification, slugs);
      else printText(verification, slugs);
      // Set after closing: closing PGlite (an Emscripten runtime) resets process.exitCode to 0.
      process.exitCode = verification.breaks.length === 0 ? ExitCode.ok : ExitCode.auditBroken;
    });
}

function printText(verification: AuditVerification, slugs: ReadonlyMap<string, string>): void {
  const { tenants, entries, breaks } = verification;
  const checked = `${tenants} tenant${tenants === 1 ? '' : 's'}, ${entries} entr${entries === 1 ? 'y' : 'ies'} checked`;
  if (breaks.length === 0) {
    console.log(`audit log intact: ${checked}`);
    return;
  }
  console.log(`audit log BROKEN: ${breaks.length} break${breaks.length === 1 ? '' : 's'}; ${checked}`);
  for (const b of breaks) {
    console.log(`  tenant ${slugs.get(b.tenantId) ?? '?'} (${b.tenantId}) entry ${b.sequence}: ${b.problem}`);
  }
}

function printJson(verification: AuditVerification, slugs: ReadonlyMap<string, string>): void {
  const document = {
    intact: verification.breaks.length === 0,
    tenants: verification.tenants,
    entries: verification.entries,
    breaks: verification.breaks.map((b) => ({
      tenantId: b.tenantId,
      tenant: slugs.get(b.tenantId) ?? null,
      sequence: Number(b.sequence),
      problem: b.problem,
    })),
  };
  console.log(JSON.stringify(document));
}
