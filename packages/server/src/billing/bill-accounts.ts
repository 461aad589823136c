import { randomUUID } from 'node:crypto';
import { isoDateOfDay, type ZoneClock, zoneClockFor } from '@tollgate/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { bareArrayLiteral, textArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvents } from '../webhooks/record-webhook-event.js';
import { type AccountBill, billAccount, billPeriodOf } from './bill-account.js';
import { claimUsage } from './claim-usage.js';
import { type CycleAllowanceRequest, grantCycleAllowances } from './grant-cycle-allowances.js';
import type { InvoiceDocument, ItemisedUsage } from './invoice-document.js';
import { invoiceDocumentOf, languageOf } from './invoice-document-of.js';
import { invoiceFinalizedData } from './invoice-finalized-data.js';
import {
  type AccountToBill,
  loadAccountsToBill,
  loadTenantBilling,
  type TenantBilling,
} from './load-billing-chunk.js';
import { numberInvoices } from './number-invoices.js';

export interface BillChunkOptions {
  readonly tenantId: string;
  readonly runId: string | null;
  /** Accounts whose cycle ended at or before this instant are billed. */
  readonly asOf: Date;
  /** Compute and keep previews only; nothing else is written. */
  readonly dryRun: boolean;
  /** Number and finalise the invoices; otherwise they stay drafts. */
  readonly finalize: boolean;
  readonly now: Date;
}

export type AccountOutcome =
  | {
      readonly accountId: string;
      readonly status: 'invoiced';
      readonly invoiceId: string;
      readonly preview: InvoiceDocument | null;
    }
  | { readonly accountId: string; readonly status: 'skipped' | 'parked'; readonly reason: string };

/** The reason of an account skipped because its period had no charge: its state moved on all the same. */
export const NOTHING_TO_BILL = 'nothing to bill';

/** Invoice lines per insert statement. */
const LINES_PER_INSERT = 5_000;

/** Records of an itemised invoice: enough for any real month of one account; beyond, the list is cut. */
const MAX_ITEMISED = 5_000;

/**
 * Bills a chunk of accounts in one transaction: locks the billing state of each account that is
 * due (skipping those another run holds), loads what their bills need in a few statements,
 * claims their usage, composes each bill, numbers the finalised ones from the tenant's gapless
 * series, and writes the invoices, their lines and the accounts' next due dates. An account whose
 * bill cannot be made (a price missing in its currency, broken data) is parked with the reason,
 * its claims given back, and the others go on. A dry run does the same and rolls it all back,
 * returning the previews.
 */
export async function billAccounts(
  db: Kysely<Database>,
  options: BillChunkOptions,
  accountIds: readonly string[],
): Promise<AccountOutcome[]> {
  let outcomes: AccountOutcome[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      outcomes = await billLocked(trx, options, accountIds);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return outcomes;
}

class DryRunRollback extends Error {}

async function billLocked(
  trx: Transaction<Database>,
  options: BillChunkOptions,
  accountIds: readonly string[],
): Promise<AccountOutcome[]> {
  const states = await trx
    .selectFrom('billing_states')
    .select(['account_id', 'next_from_day'])
    .where('tenant_id', '=', options.tenantId)
    .where(
      'account_id',
      'in',
      accountIds.length > 0 ? [...accountIds] : ['00000000-0000-0000-0000-000000000000'],
    )
    .where('due_at', '<=', options.asOf)
    .orderBy('account_id')
    .forUpdate()
    .skipLocked()
    .execute();
  const due = new Set(states.map((s) => s.account_id));
  const outcomes: AccountOutcome[] = accountIds
    .filter((id) => !due.has(id))
    .map((accountId) => ({ accountId, status: 'skipped', reason: 'not due, or billed by another run' }));
  if (states.length === 0) {
    await recordOutcomes(trx, options, outcomes);
    return outcomes;
  }
  const [tenant, accounts] = await Promise.all([
    loadTenantBilling(trx, options.tenantId),
    loadAccountsToBill(
      trx,
      options.tenantId,
      states.map((s) => ({ accountId: s.account_id, nextFromDay: s.next_from_day })),
    ),
  ]);
  const invoiceIds = new Map(accounts.map((a) => [a.id, randomUUID()]));
  const clocks = new Map(accounts.map((a) => [a.id, zoneClockFor(a.timeZone)]));
  const usage = await claimUsage(
    trx,
    options.tenantId,
    accounts.map((account) => {
      const clock = clocks.get(account.id)!;
      const period = billPeriodOf(account, clock);
      return {
        accountId: account.id,
        invoiceId: invoiceIds.get(account.id)!,
        periodStartMs: period.periodStartMs,
        periodEndMs: period.periodEndMs,
        zoneOffsetDay: (ms: number) => clock.localTime(ms).dayNumber,
      };
    }),
  );
  const bills: { account: AccountToBill; bill: AccountBill; invoiceId: string }[] = [];
  const released: string[] = [];
  const empty: { account: AccountToBill; bill: AccountBill }[] = [];
  for (const account of accounts) {
    const invoiceId = invoiceIds.get(account.id)!;
    let outcome: ReturnType<typeof billAccount>;
    try {
      outcome = billAccount(account, tenant, usage.get(account.id) ?? []);
    } catch (error) {
      outcome = { ok: false, code: 'bill_failed', message: (error as Error).message };
    }
    if (!outcome.ok) {
      released.push(invoiceId);
      outcomes.push({
        accountId: account.id,
        status: 'parked',
        reason: `${outcome.code}: ${outcome.message}`,
      });
      continue;
    }
    if (outcome.bill.lines.length === 0) {
      // Nothing happened and nothing is owed (a line ended, no usage): no empty invoice; the
      // account moves on to its next period all the same.
      released.push(invoiceId);
      empty.push({ account, bill: outcome.bill });
      outcomes.push({ accountId: account.id, status: 'skipped', reason: NOTHING_TO_BILL });
      continue;
    }
    bills.push({ account, bill: outcome.bill, invoiceId });
  }
  if (released.length > 0)
    await sql`delete from invoiced_usage where invoice_id = any(${bareArrayLiteral(released)}::uuid[])`.execute(
      trx,
    );
  const itemised = await itemisedUsage(
    trx,
    bills.filter((b) => b.account.itemised).map((b) => b.invoiceId),
  );
  await insertInvoiceLines(trx, options, bills);
  await advanceBillingStates(trx, options, [...bills, ...empty]);
  await grantCycleAllowances(
    trx,
    options.tenantId,
    bills.flatMap(({ account, bill }) =>
      advanceCycleRequests(account, bill, clocks.get(account.id) ?? zoneClockFor(account.timeZone)),
    ),
    tenant.plans,
    options.now,
  );
  for (const b of bills)
    outcomes.push({ accountId: b.account.id, status: 'invoiced', invoiceId: b.invoiceId, preview: null });
  const stillDue = new Set(
    [...bills, ...empty]
      .filter(({ bill }) => bill.period.nextDueMs <= options.asOf.getTime())
      .map(({ account }) => account.id),
  );
  await recordOutcomes(trx, options, outcomes, stillDue);
  // Numbers last: the series' counter row stays locked until this transaction commits, and every
  // other chunk finalising at the same time waits for it; everything else is written by then.
  const numbers = options.finalize
    ? await numberInvoices(trx, options.tenantId, tenant.profile.invoiceSeries, bills.length)
    : [];
  const rows = bills.map((b, index) => invoiceRowOf(b, tenant, options, numbers[index] ?? null, itemised));
  await insertInvoiceRows(trx, options, rows);
  if (options.dryRun)
    return outcomes.map((outcome) => {
      const row = outcome.status === 'invoiced' ? rows.find((r) => r.id === outcome.invoiceId) : undefined;
      return row === undefined ? outcome : { ...outcome, preview: row.document };
    });
  return outcomes;
}

interface InvoiceRow {
  readonly id: string;
  readonly accountId: string;
  readonly bill: AccountBill;
  readonly number: { readonly sequence: bigint; readonly number: string } | null;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly document: InvoiceDocument;
  readonly language: string;
  readonly currency: string;
  readonly series: string;
}

function invoiceRowOf(
  b: { account: AccountToBill; bill: AccountBill; invoiceId: string },
  tenant: TenantBilling,
  options: BillChunkOptions,
  number: { sequence: bigint; number: string } | null,
  itemised: ReadonlyMap<string, ItemisedUsage[]>,
): InvoiceRow {
  const clock = zoneClockFor(b.account.timeZone);
  const issuedDay = clock.localTime(options.asOf.getTime()).dayNumber;
  const issuedOn = isoDateOfDay(issuedDay);
  const dueOn = isoDateOfDay(issuedDay + b.account.paymentTermsDays);
  const status = options.dryRun ? 'preview' : number === null ? 'draft' : 'finalized';
  const document = invoiceDocumentOf(b.account, tenant, b.bill, {
    number: number?.number ?? null,
    status,
    issuedOn,
    dueOn,
    itemised: b.account.itemised ? (itemised.get(b.invoiceId) ?? []) : null,
  });
  return {
    id: b.invoiceId,
    accountId: b.account.id,
    bill: b.bill,
    number,
    issuedOn,
    dueOn,
    document,
    language: languageOf(b.account.customer.language),
    currency: b.account.currency,
    series: tenant.profile.invoiceSeries,
  };
}

/** Writes the invoices in one statement (their lines are written already: the key is checked at commit). */
async function insertInvoiceRows(
  trx: Transaction<Database>,
  options: BillChunkOptions,
  rows: readonly InvoiceRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const tenantId = options.tenantId;
  await trx
    .insertInto('invoices')
    .values(
      rows.map((row) => ({
        id: row.id,
        tenant_id: tenantId,
        account_id: row.accountId,
        kind: 'invoice' as const,
        status: row.number === null ? ('draft' as const) : ('finalized' as const),
        series: row.series,
        sequence: row.number?.sequence ?? null,
        number: row.number?.number ?? null,
        currency: row.currency,
        language: row.language,
        period_from_day: row.bill.period.period.fromDay,
        period_to_day: row.bill.period.period.toDay,
        advance_to_day: row.bill.period.throughDay,
        net_micros: row.bill.composed.netMicros,
        tax_micros: row.bill.composed.taxMicros,
        total_micros: row.bill.composed.totalMicros,
        credits_invoice_id: null,
        reason: null,
        bill_run_id: options.runId,
        document: JSON.stringify(row.document),
        issued_on: row.number === null ? null : row.issuedOn,
        due_on: row.number === null ? null : row.dueOn,
        finalized_at: row.number === null ? null : options.now,
        paid_at: null,
        voided_at: null,
        void_reason: null,
      })),
    )
    .execute();
  await recordWebhookEvents(
    trx,
    tenantId,
    rows
      .filter((row) => row.number !== null)
      .map((row) => ({
        tenantId,
        type: 'invoice.finalized' as const,
        occurredAt: options.now,
        data: invoiceFinalizedData({
          id: row.id,
          accountId: row.accountId,
          number: row.number?.number ?? null,
          currency: row.currency,
          totalMicros: row.bill.composed.totalMicros,
          issuedOn: row.issuedOn,
          dueOn: row.dueOn,
        }),
      })),
  );
}

/** Writes the bills' lines in a few multi-row statements, and marks the one-time charges they took. */
async function insertInvoiceLines(
  trx: Transaction<Database>,
  options: BillChunkOptions,
  bills: readonly { account: AccountToBill; bill: AccountBill; invoiceId: string }[],
): Promise<void> {
  if (bills.length === 0) return;
  const tenantId = options.tenantId;
  const lines = bills.flatMap((row) =>
    row.bill.lines.map((line, index) => ({
      accountId: row.account.id,
      invoiceId: row.invoiceId,
      position: index + 1,
      line,
    })),
  );
  // One statement per chunk of lines, each column an array literal: a handful of parameters
  // however many lines, where a row-per-values insert sends 25 parameters a line.
  for (let start = 0; start < lines.length; start += LINES_PER_INSERT) {
    const part = lines.slice(start, start + LINES_PER_INSERT);
    const bare = (pick: (l: (typeof part)[number]) => string | number | bigint | null) =>
      bareArrayLiteral(part.map(pick));
    const text = (pick: (l: (typeof part)[number]) => string | null) => textArrayLiteral(part.map(pick));
    await sql`
      insert into invoice_lines (tenant_id, account_id, invoice_id, position, kind, label, service, tax_category,
        subscription_id, plan_id, plan_version_id, discount_id, charge_id, window_from_day, window_to_day, from_day,
        to_day, fee_micros, quantity, unit, allowance_units, line_key, amount_micros, tax_micros, taxes)
      select ${tenantId}::uuid, x.account_id, x.invoice_id, x.position, x.kind, x.label, x.service, x.tax_category,
        x.subscription_id, x.plan_id, x.plan_version_id, x.discount_id, x.charge_id, x.window_from_day, x.window_to_day,
        x.from_day, x.to_day, x.fee_micros, x.quantity, x.unit, x.allowance_units, x.line_key, x.amount_micros,
        x.tax_micros, x.taxes::jsonb
      from unnest(
        ${bare((l) => l.accountId)}::uuid[], ${bare((l) => l.invoiceId)}::uuid[], ${bare((l) => l.position)}::int4[],
        ${text((l) => l.line.kind)}::text[], ${text((l) => l.line.label)}::text[], ${text((l) => l.line.service)}::text[],
        ${text((l) => l.line.taxCategory)}::text[], ${bare((l) => l.line.subscriptionId)}::uuid[],
        ${bare((l) => l.line.planId)}::uuid[], ${bare((l) => l.line.planVersionId)}::uuid[],
        ${bare((l) => l.line.discountId)}::uuid[], ${bare((l) => l.line.chargeId)}::uuid[],
        ${bare((l) => l.line.window?.fromDay ?? null)}::int4[], ${bare((l) => l.line.window?.toDay ?? null)}::int4[],
        ${bare((l) => l.line.days?.fromDay ?? null)}::int4[], ${bare((l) => l.line.days?.toDay ?? null)}::int4[],
        ${bare((l) => l.line.feeMicros)}::int8[], ${bare((l) => l.line.quantity)}::int8[], ${text((l) => l.line.unit)}::text[],
        ${bare((l) => l.line.allowanceUnits)}::int8[], ${text((l) => l.line.lineKey)}::text[],
        ${bare((l) => l.line.amountMicros)}::int8[], ${bare((l) => l.line.taxMicros)}::int8[],
        ${text((l) => JSON.stringify(l.line.taxes.map((t) => ({ ...t, amountMicros: String(t.amountMicros) }))))}::text[]
      ) as x(account_id, invoice_id, position, kind, label, service, tax_category, subscription_id, plan_id,
        plan_version_id, discount_id, charge_id, window_from_day, window_to_day, from_day, to_day, fee_micros, quantity,
        unit, allowance_units, line_key, amount_micros, tax_micros, taxes)`.execute(trx);
  }
  const charges = bills.flatMap((row) =>
    row.bill.chargeIds.map((chargeId) => ({ chargeId, invoiceId: row.invoiceId })),
  );
  if (charges.length > 0)
    await sql`
      update account_charges c set invoice_id = x.invoice_id
      from unnest(${bareArrayLiteral(charges.map((c) => c.chargeId))}::uuid[],
        ${bareArrayLiteral(charges.map((c) => c.invoiceId))}::uuid[]) as x(charge_id, invoice_id)
      where c.id = x.charge_id and c.invoice_id is null`.execute(trx);
}

/** Moves each billed account to its next period, due when the cycle billed in advance ends. */
async function advanceBillingStates(
  trx: Transaction<Database>,
  options: BillChunkOptions,
  bills: readonly { account: AccountToBill; bill: AccountBill }[],
): Promise<void> {
  if (bills.length === 0) return;
  await sql`
    update billing_states s set next_from_day = x.next_from_day, due_at = to_timestamp(x.due_ms / 1000.0),
      updated_at = ${options.now}
    from unnest(${bareArrayLiteral(bills.map((b) => b.account.id))}::uuid[],
      ${bareArrayLiteral(bills.map((b) => b.bill.period.period.toDay))}::int4[],
      ${bareArrayLiteral(bills.map((b) => b.bill.period.nextDueMs))}::int8[]) as x(account_id, next_from_day, due_ms)
    where s.tenant_id = ${options.tenantId}::uuid and s.account_id = x.account_id`.execute(trx);
}

/** The records an itemised invoice lists, oldest first, up to MAX_ITEMISED per invoice. */
async function itemisedUsage(
  trx: Transaction<Database>,
  invoiceIds: readonly string[],
): Promise<Map<string, ItemisedUsage[]>> {
  const lists = new Map<string, ItemisedUsage[]>();
  if (invoiceIds.length === 0) return lists;
  const rows = await sql<{
    invoice_id: string;
    started_at: Date;
    subscriber: string;
    destination: string;
    service: string;
    units: string;
    unit: ItemisedUsage['unit'];
    amount_micros: string;
  }>`
    select i.invoice_id, r.started_at, r.subscriber, r.destination, r.service, r.units::text as units, r.unit,
      (r.charged_micros - r.debited_micros)::text as amount_micros
    from invoiced_usage i join rated_usage r on r.id = i.rated_usage_id
    where i.invoice_id = any(${bareArrayLiteral(invoiceIds)}::uuid[])
    order by i.invoice_id, r.started_at, r.id`.execute(trx);
  for (const row of rows.rows) {
    const list = lists.get(row.invoice_id) ?? [];
    if (list.length === 0) lists.set(row.invoice_id, list);
    if (list.length >= MAX_ITEMISED) continue;
    list.push({
      startedAt: new Date(row.started_at).toISOString(),
      subscription: row.subscriber,
      destination: row.destination,
      service: row.service,
      units: row.units,
      unit: row.unit,
      amountMicros: row.amount_micros,
    });
  }
  return lists;
}

/** The next cycle's allowances of every plan a billed line pays in it. */
function advanceCycleRequests(
  account: AccountToBill,
  bill: AccountBill,
  clock: ZoneClock,
): CycleAllowanceRequest[] {
  const cycle = { fromDay: bill.period.period.toDay, toDay: bill.period.throughDay };
  return bill.spans
    .filter((span) => span.span.fromDay < cycle.toDay && span.span.toDay > cycle.fromDay)
    .map((span) => ({
      accountId: account.id,
      currency: account.currency,
      clock,
      cycle,
      cycleStartMs: bill.period.periodEndMs,
      cycleEndMs: bill.period.nextDueMs,
      span,
    }));
}

/** A real run records its outcomes with its invoices; a dry run's are recorded after its rollback. */
async function recordOutcomes(
  trx: Transaction<Database>,
  options: BillChunkOptions,
  outcomes: readonly AccountOutcome[],
  stillDue: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (options.runId !== null && !options.dryRun)
    await recordRunOutcomes(trx, options.runId, false, outcomes, options.now, stillDue);
}

/**
 * Writes a run's account outcomes. An account's outcome is written while it is pending, and again
 * when a later cycle of the same run invoices or parks it (an account catching up on cycles).
 */
export async function recordRunOutcomes(
  db: Kysely<Database> | Transaction<Database>,
  runId: string,
  dryRun: boolean,
  outcomes: readonly AccountOutcome[],
  now: Date,
  stillDue: ReadonlySet<string> = new Set(),
): Promise<void> {
  // An account billed for one cycle that has more cycles due stays pending: a run killed before
  // it caught up bills the rest when it resumes.
  const statusOf = (o: AccountOutcome) =>
    stillDue.has(o.accountId) && o.status !== 'parked' ? 'pending' : o.status;
  await sql`
    update bill_run_accounts b set status = x.status, reason = x.reason, invoice_id = x.invoice_id,
      preview = x.preview::jsonb, attempts = b.attempts + 1, updated_at = ${now}
    from unnest(${bareArrayLiteral(outcomes.map((o) => o.accountId))}::uuid[],
      ${textArrayLiteral(outcomes.map(statusOf))}::text[],
      ${textArrayLiteral(outcomes.map((o) => (o.status === 'invoiced' || statusOf(o) === 'pending' ? null : o.reason)))}::text[],
      ${bareArrayLiteral(outcomes.map((o) => (o.status === 'invoiced' && !dryRun ? o.invoiceId : null)))}::uuid[],
      ${textArrayLiteral(outcomes.map((o) => (o.status === 'invoiced' && o.preview !== null ? JSON.stringify(o.preview) : null)))}::text[])
      as x(account_id, status, reason, invoice_id, preview)
    where b.bill_run_id = ${runId}::uuid and b.account_id = x.account_id and b.status = 'pending'`.execute(
    db,
  );
}
