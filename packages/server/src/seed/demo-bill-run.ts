import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { billAccounts } from '../billing/bill-accounts.js';
import { runBillRunJob } from '../billing/bill-run-jobs.js';
import { startBillRun } from '../billing/start-bill-run.js';
import type { Database } from '../db/database-schema.js';

/** An invoice a demo bill run finalised, with when its account is due next. */
export interface DemoInvoice {
  readonly id: string;
  readonly accountId: string;
  readonly number: string | null;
  readonly totalMicros: bigint;
  readonly currency: string;
  readonly nextDueMs: number;
}

/**
 * A bill run as of `asOf`, finalising, worked in this process as a bill-run worker would work
 * its jobs (billing/bill-run-jobs.ts), all its accounts in one job: the demo has a handful.
 * Returns the invoices it finalised.
 */
export async function runDemoBillRun(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  asOf: Date,
): Promise<DemoInvoice[]> {
  const started = await startBillRun(db, tenantId, actor, { asOf, dryRun: false, finalize: true }, asOf);
  const pending = await db
    .selectFrom('bill_run_accounts')
    .select('account_id')
    .where('bill_run_id', '=', started.runId)
    .where('status', '=', 'pending')
    .execute();
  if (pending.length > 0)
    await runBillRunJob(
      db,
      { runId: started.runId, tenantId, accountIds: pending.map((p) => p.account_id) },
      asOf,
    );
  const invoiced = await db
    .selectFrom('bill_run_accounts')
    .select('invoice_id')
    .where('bill_run_id', '=', started.runId)
    .where('status', '=', 'invoiced')
    .execute();
  return demoInvoices(
    db,
    tenantId,
    invoiced.flatMap((r) => (r.invoice_id === null ? [] : [r.invoice_id])),
  );
}

/**
 * Bills the accounts among `accountIds` that are due by `asOf`, one cycle each, finalising, as a
 * bill-run job does but without the run's bookkeeping (billing/bill-accounts.ts). Returns the
 * invoices it finalised.
 */
export async function billDemoAccounts(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  asOf: Date,
): Promise<DemoInvoice[]> {
  const outcomes = await billAccounts(
    db,
    { tenantId, runId: null, asOf, dryRun: false, finalize: true, now: asOf },
    accountIds,
  );
  return demoInvoices(
    db,
    tenantId,
    outcomes.flatMap((o) => (o.status === 'invoiced' ? [o.invoiceId] : [])),
  );
}

async function demoInvoices(
  db: Kysely<Database>,
  tenantId: string,
  invoiceIds: readonly string[],
): Promise<DemoInvoice[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .selectFrom('invoices as i')
    .innerJoin('billing_states as s', (join) =>
      join.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.account_id', '=', 'i.account_id'),
    )
    .select(['i.id', 'i.account_id', 'i.number', 'i.total_micros', 'i.currency', 's.due_at'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.id', 'in', [...invoiceIds])
    .where('i.status', '=', 'finalized')
    .orderBy('i.number')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    number: row.number,
    totalMicros: BigInt(row.total_micros),
    currency: row.currency,
    nextDueMs: new Date(row.due_at).getTime(),
  }));
}

/** When the next account falls due for a bill; null when no account is billed. */
export async function nextBillingDueMs(db: Kysely<Database>, tenantId: string): Promise<number | null> {
  const row = await db
    .selectFrom('billing_states')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const due = row?.due;
  return due === null || due === undefined ? null : new Date(due as Date | string).getTime();
}
