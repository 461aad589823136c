import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { type LedgerVerification, verifyLedger } from '../balances/verify-ledger.js';
import type { Database } from '../db/database-schema.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

/** `tollgate ledger verify`: the ledger's invariants, checked in the database. */
export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the balance ledger');
  ledger
    .command('verify')
    .description(
      'check that cached balances and reservations match the ledger, that every transaction balances, and that ' +
        `no bucket is below its floor; exit ${ExitCode.ok} when clean, ${ExitCode.ledgerBroken} with every problem listed`,
    )
    .option('--tenant <slug>', 'only this tenant (default: every tenant)')
    .option('--json', 'print the result as one JSON object')
    .action((flags: { tenant?: string; json?: boolean }) => withDatabase((db) => verify(db, flags)));
}

async function verify(db: Kysely<Database>, flags: { tenant?: string; json?: boolean }): Promise<number> {
  let tenantId: string | undefined;
  if (flags.tenant !== undefined) {
    const tenant = await findCliTenant(db, flags.tenant);
    if (typeof tenant === 'string') {
      console.error(tenant);
      return ExitCode.usage;
    }
    tenantId = tenant.id;
  }
  const verification = await verifyLedger(db, tenantId === undefined ? {} : { tenantId });
  if (flags.json === true) printJson(verification);
  else printText(verification);
  return verification.problems.length === 0 ? ExitCode.ok : ExitCode.ledgerBroken;
}

function printText(verification: LedgerVerification): void {
  const { bucketsChecked, transactionsChecked, problems } = verification;
  const checked = `${bucketsChecked} buckets, ${transactionsChecked} transactions checked`;
  if (problems.length === 0) {
    console.log(`ledger clean: ${checked}`);
    return;
  }
  console.log(`ledger BROKEN: ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${checked}`);
  for (const p of problems) {
    const where = p.bucketId === null ? `transaction ${p.transactionId}` : `bucket ${p.bucketId}`;
    console.log(
      `  ${p.kind}: account ${p.accountId} ${where} (${p.unit}): expected ${p.expected}, found ${p.actual}`,
    );
  }
}

function printJson(verification: LedgerVerification): void {
  console.log(
    JSON.stringify({
      clean: verification.problems.length === 0,
      bucketsChecked: verification.bucketsChecked,
      transactionsChecked: verification.transactionsChecked,
      problems: verification.problems.map((p) => ({
        ...p,
        expected: p.expected.toString(),
        actual: p.actual.toString(),
      })),
    }),
  );
}
