import { AGING_BUCKETS, type AgingBucket, dayOfIsoDate, isoDateOfDay, zoneClockFor } from '@tollgate/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { agingBucketRanges } from './aging-bucket-ranges.js';
import type { AgingReportView } from './aging-report-schemas.js';

export interface AgingReportRequest {
  /** ISO date days past due are counted to. */
  readonly asOf: string;
  /** Rows after this account and currency (the previous page's last); absent: from the start. */
  readonly after?: AgingPosition | null | undefined;
  /** Rows at most; absent: every account (the CLI's table). */
  readonly limit?: number | undefined;
}

export interface AgingPosition {
  readonly accountNumber: string;
  readonly currency: string;
}

export interface AgingAccountRow {
  readonly accountId: string;
  readonly accountNumber: string;
  readonly customerName: string;
  readonly currency: string;
  readonly bucketMicros: Readonly<Record<AgingBucket, bigint>>;
  readonly outstandingMicros: bigint;
  readonly creditMicros: bigint;
}

export interface AgingTotalRow {
  readonly currency: string;
  readonly accounts: number;
  readonly bucketMicros: Readonly<Record<AgingBucket, bigint>>;
  readonly outstandingMicros: bigint;
  readonly creditMicros: bigint;
}

export interface AgingReport {
  readonly asOf: string;
  readonly accounts: readonly AgingAccountRow[];
  readonly totals: readonly AgingTotalRow[];
  /** Where the next page starts, when there is one. */
  readonly next: AgingPosition | null;
}

export type AgingReportResult = { readonly ok: true; readonly report: AgingReport } | UseCaseFailure;

/**
 * The accounts-receivable aging of a tenant: for every account that is owed something or holds
 * credit, what its finalised invoices still owe, by how long past due they are on `asOf`
 * (current, 1-30, 31-60, 61-90, over 90 days: core's agingBucketOf), per currency; its unapplied
 * credit (payments not applied to any invoice) beside it, never netted; and the totals per
 * currency over all accounts.
 *
 * Amounts are what is owed now: `asOf` moves only the day the ages are counted to (a month end,
 * to see what will be overdue by then); it does not replay history. One statement whatever the
 * number of accounts (never a query per account): the open invoices grouped once (through their
 * partial index invoices_open_due), the payments and allocations each summed once.
 */
export async function readAgingReport(
  db: Kysely<Database>,
  tenantId: string,
  request: AgingReportRequest,
): Promise<AgingReportResult> {
  try {
    dayOfIsoDate(request.asOf);
  } catch (error) {
    if (error instanceof RangeError) return invalid('/asOf', error.message);
    throw error;
  }
  const rows = await reportRows(db, tenantId, request);
  const limit = request.limit;
  const accounts = rows.accounts.slice(0, limit ?? rows.accounts.length);
  const last = accounts[accounts.length - 1];
  return {
    ok: true,
    report: {
      asOf: request.asOf,
      accounts,
      totals: rows.totals,
      next:
        limit !== undefined && rows.accounts.length > limit && last !== undefined
          ? { accountNumber: last.accountNumber, currency: last.currency }
          : null,
    },
  };
}

interface ReportRow {
  part: 'account' | 'total';
  account_id: string | null;
  account_number: string | null;
  display_name: string | null;
  currency: string;
  outstanding: bigint | string;
  credit: bigint | string;
  accounts: bigint | string | null;
  [bucket: `b${number}`]: bigint | string;
}

/**
 * One statement: the report per account and currency is computed once (materialised), then a
 * page of it is joined to the account and customer, and its totals per currency summed. The
 * bucket of an invoice is a comparison of its due date with the first due date of each bucket,
 * bytewise ("C"): ISO dates sort as text.
 */
async function reportRows(
  db: Kysely<Database>,
  tenantId: string,
  request: AgingReportRequest,
): Promise<{ accounts: AgingAccountRow[]; totals: AgingTotalRow[] }> {
  const ranges = agingBucketRanges(request.asOf);
  const bucketOf = sql`case ${sql.join(
    ranges.map((range, index) =>
      range.dueFrom === null
        ? sql`else ${sql.lit(index)}`
        : sql`when coalesce(i.due_on, '9999-12-31') collate "C" >= ${range.dueFrom} then ${sql.lit(index)}`,
    ),
    sql` `,
  )} end`;
  const buckets = (each: (column: RawBuilder<unknown>, index: number) => RawBuilder<unknown>) =>
    sql.join(
      AGING_BUCKETS.map((_, index) => sql`${each(sql.ref(`b${index}`), index)} as ${sql.ref(`b${index}`)}`),
    );
  const after =
    request.after === undefined || request.after === null
      ? sql`true`
      : sql`(a.account_number, r.currency) > (${request.after.accountNumber}, ${request.after.currency})`;
  const limit = request.limit === undefined ? sql`` : sql`limit ${request.limit + 1}`;
  const { rows } = await sql<ReportRow>`
    with open_invoices as (
      select i.account_id, i.currency::text as currency, ${bucketOf} as bucket,
        greatest(i.total_micros - i.credited_micros - i.paid_micros, 0) as owed
      from invoices i
      where i.tenant_id = ${tenantId}::uuid and i.kind = 'invoice' and i.status = 'finalized'
    ), owed as (
      select account_id, currency,
        ${buckets((_, index) => sql`sum(owed) filter (where bucket = ${sql.lit(index)})::int8`)},
        sum(owed)::int8 as outstanding
      from open_invoices
      group by account_id, currency
      having sum(owed) > 0
    ), received as (
      select account_id, sum(amount_micros - refunded_micros - charged_back_micros) as micros
      from payments
      where tenant_id = ${tenantId}::uuid and status = 'succeeded' and purpose <> 'auto_recharge'
      group by account_id
    ), allocated as (
      select account_id, sum(amount_micros) as micros
      from payment_allocations where tenant_id = ${tenantId}::uuid
      group by account_id
    ), credit as (
      -- As payments/payment-store.ts readAccountReceivable: what payments hold less what they applied.
      select r.account_id, a.currency::text as currency, (r.micros - coalesce(al.micros, 0))::int8 as credit
      from received r
      join accounts a on a.tenant_id = ${tenantId}::uuid and a.id = r.account_id
      left join allocated al on al.account_id = r.account_id
      where r.micros - coalesce(al.micros, 0) > 0
    ), report as materialized (
      select coalesce(o.account_id, c.account_id) as account_id,
        coalesce(o.currency, c.currency) as currency,
        ${buckets((column) => sql`coalesce(o.${column}, 0)`)},
        coalesce(o.outstanding, 0) as outstanding,
        coalesce(c.credit, 0) as credit
      from owed o
      full join credit c on c.account_id = o.account_id and c.currency = o.currency
    ), page as (
      select r.*, a.account_number, cu.display_name,
        row_number() over (order by a.account_number, r.currency) as position
      from report r
      join accounts a on a.tenant_id = ${tenantId}::uuid and a.id = r.account_id
      join customers cu on cu.tenant_id = a.tenant_id and cu.id = a.customer_id
      where ${after}
      order by a.account_number, r.currency
      ${limit}
    ), totals as (
      select currency, count(distinct account_id) as accounts,
        ${buckets((column) => sql`sum(${column})`)},
        sum(outstanding) as outstanding, sum(credit) as credit
      from report
      group by currency
    )
    select 'account' as part, position, account_id, account_number, display_name, currency,
      ${buckets((column) => column)}, outstanding, credit, null::int8 as accounts
    from page
    union all
    select 'total', null, null, null, null, currency, ${buckets((column) => column)}, outstanding, credit, accounts
    from totals
    order by part, position, currency`.execute(db);
  const accounts: AgingAccountRow[] = [];
  const totals: AgingTotalRow[] = [];
  for (const row of rows) {
    const amounts = {
      currency: row.currency.trim(),
      bucketMicros: bucketsOf(row),
      outstandingMicros: BigInt(row.outstanding),
      creditMicros: BigInt(row.credit),
    };
    if (row.part === 'total') totals.push({ ...amounts, accounts: Number(row.accounts) });
    else
      accounts.push({
        ...amounts,
        accountId: row.account_id ?? '',
        accountNumber: row.account_number ?? '',
        customerName: row.display_name ?? '',
      });
  }
  return { accounts, totals };
}

function bucketsOf(row: ReportRow): Record<AgingBucket, bigint> {
  const buckets = {} as Record<AgingBucket, bigint>;
  AGING_BUCKETS.forEach((bucket, index) => {
    buckets[bucket] = BigInt(row[`b${index}`] ?? 0n);
  });
  return buckets;
}

/** The report as the API shows it: exact decimals in each currency. */
export function agingReportView(report: AgingReport, nextCursor: string | null): AgingReportView {
  const buckets = (micros: Readonly<Record<AgingBucket, bigint>>, currency: string) => ({
    current: formatMoneyAmount(micros.current, currency),
    days_1_30: formatMoneyAmount(micros.days_1_30, currency),
    days_31_60: formatMoneyAmount(micros.days_31_60, currency),
    days_61_90: formatMoneyAmount(micros.days_61_90, currency),
    days_over_90: formatMoneyAmount(micros.days_over_90, currency),
  });
  return {
    asOf: report.asOf,
    accounts: report.accounts.map((row) => ({
      accountId: row.accountId,
      accountNumber: row.accountNumber,
      customerName: row.customerName,
      currency: row.currency,
      buckets: buckets(row.bucketMicros, row.currency),
      outstanding: formatMoneyAmount(row.outstandingMicros, row.currency),
      unappliedCredit: formatMoneyAmount(row.creditMicros, row.currency),
    })),
    totals: report.totals.map((row) => ({
      currency: row.currency,
      accounts: row.accounts,
      buckets: buckets(row.bucketMicros, row.currency),
      outstanding: formatMoneyAmount(row.outstandingMicros, row.currency),
      unappliedCredit: formatMoneyAmount(row.creditMicros, row.currency),
    })),
    nextCursor,
  };
}

/** Today in the tenant's time zone: the default day of the report. */
export async function tenantToday(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
): Promise<string | undefined> {
  const tenant = await db
    .selectFrom('tenants')
    .select('time_zone')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (tenant === undefined) return undefined;
  return isoDateOfDay(zoneClockFor(tenant.time_zone).localTime(now.getTime()).dayNumber);
}
