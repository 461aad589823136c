import { type Kysely, sql } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import type { AccountCalendar } from './account-calendar.js';
import type { UsageScope } from './account-usage-rows.js';
import { csvRecord } from './csv-field.js';
import { instantInZone } from './instant-in-zone.js';

/** Rows read per statement: a chunk of the file is this many lines, whatever the period's length. */
export const CSV_PAGE_ROWS = 1000;

export const USAGE_CSV_COLUMNS = [
  'started_at',
  'line',
  'service',
  'direction',
  'destination',
  'quantity',
  'unit',
  'allowance_quantity',
  'amount',
  'currency',
  'entry',
  'explanation',
] as const;

interface UsageCsvRow {
  readonly started_at: Date;
  readonly source: number;
  readonly key: string;
  readonly subscription_id: string;
  readonly line: string | null;
  readonly service: string;
  readonly direction: string;
  readonly destination: string;
  readonly units: string;
  readonly unit: string;
  readonly allowance_units: string;
  readonly amount: string;
  readonly currency: string;
  readonly entry: string;
  readonly explanation: unknown;
}

interface Position {
  readonly startedAt: Date;
  readonly source: number;
  readonly key: string;
}

/**
 * The CSV text of an account's usage, in chunks: a header line, then one line per rated record
 * (and per rating group of an online session no record was reconciled with, entry `online`), by
 * time. Each chunk is one statement of CSV_PAGE_ROWS rows after the last one sent (keyset on
 * (started_at, source, key), which the (tenant_id, account_id, started_at) indexes serve), so a
 * year of usage streams through a few kilobytes of memory. Times are local with their offset,
 * amounts exact decimals in the account's currency, a reversal (of a rerated record) negative.
 */
export async function* usageCsvChunks(
  db: Kysely<Database>,
  scope: UsageScope,
  calendar: AccountCalendar,
  lineLabels: ReadonlyMap<string, string>,
): AsyncGenerator<string> {
  yield csvRecord(USAGE_CSV_COLUMNS);
  let after: Position | null = null;
  // Each pass moves the position forward, so the loop ends; the bound is a year of one record a second.
  for (let page = 0; page < 40_000; page++) {
    const rows = await csvPage(db, scope, after);
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) text += csvRecord(csvValues(row, calendar, lineLabels));
    yield text;
    if (rows.length < CSV_PAGE_ROWS) return;
    const last = rows[rows.length - 1]!;
    after = { startedAt: new Date(last.started_at), source: Number(last.source), key: last.key };
  }
  throw new Error(`usage export of account ${scope.accountId} did not end`);
}

async function csvPage(
  db: Kysely<Database>,
  scope: UsageScope,
  after: Position | null,
): Promise<UsageCsvRow[]> {
  const since = after === null ? scope.from : after.startedAt;
  const lineOf = (alias: string) =>
    scope.subscriptionId === null
      ? sql`true`
      : sql`${sql.ref(`${alias}.subscription_id`)} = ${scope.subscriptionId}::uuid`;
  const { rows } = await sql<UsageCsvRow>`
    with usage as (
      select r.started_at, 0 as source, lpad(r.id::text, 20, '0') as key, r.subscription_id,
        r.subscriber as line, r.service, r.direction, r.destination, r.units::text as units, r.unit,
        r.allowance_units::text as allowance_units, r.charged_micros::text as amount, r.currency, r.entry,
        r.explanation
      from rated_usage r
      where r.tenant_id = ${scope.tenantId}::uuid and r.account_id = ${scope.accountId}::uuid
        and r.started_at >= ${since} and r.started_at < ${scope.to} and ${lineOf('r')}
      union all
      select s.started_at, 1, s.id::text || ':' || lpad(e.value->>'ratingGroup', 10, '0'), s.subscription_id,
        null, e.value->>'category', 'outgoing', e.value->>'destination', e.value->>'usedUnits', e.value->>'unit',
        e.value->>'allowanceUnits', ((e.value->>'chargedMicros')::int8 + (e.value->>'unpaidMicros')::int8)::text,
        s.rating->>'currency', 'online', jsonb_build_object('session', s.session_key)
      from charging_sessions s cross join lateral jsonb_array_elements(s.services) e
      where s.tenant_id = ${scope.tenantId}::uuid and s.account_id = ${scope.accountId}::uuid
        and s.started_at >= ${since} and s.started_at < ${scope.to} and ${lineOf('s')}
        and (e.value->>'usedUnits')::int8 > 0
        and not exists (select 1 from rated_usage x where x.charging_session_id = s.id)
    )
    select * from usage
    where ${after === null ? sql`true` : sql`(started_at, source, key) > (${after.startedAt}::timestamptz, ${after.source}::int4, ${after.key}::text)`}
    order by started_at, source, key
    limit ${CSV_PAGE_ROWS}`.execute(db);
  return rows;
}

function csvValues(
  row: UsageCsvRow,
  calendar: AccountCalendar,
  lineLabels: ReadonlyMap<string, string>,
): string[] {
  const currency = row.currency.trim();
  return [
    instantInZone(calendar.clock, new Date(row.started_at).getTime()),
    row.line ?? lineLabels.get(row.subscription_id) ?? row.subscription_id,
    row.service,
    row.direction,
    row.destination,
    row.units,
    row.unit,
    row.allowance_units,
    formatMoneyAmount(BigInt(row.amount), currency),
    currency,
    row.entry,
    explanationSummary(row),
  ];
}

interface StoredExplanationShape {
  readonly destinationId?: string;
  readonly matchedPrefix?: string;
  readonly spans?: readonly {
    readonly band?: string;
    readonly rate?: string;
    readonly billed?: string | number;
  }[];
  readonly session?: string;
}

/**
 * The stored explanation in a few words: the destination group and the prefix that found it,
 * each priced span's rate (and time band) with the units billed, and the units allowances paid.
 * The full explanation is GET /v1/rated-usage/{id}.
 */
export function explanationSummary(row: {
  readonly explanation: unknown;
  readonly allowance_units: string;
  readonly unit: string;
}): string {
  const stored = (
    typeof row.explanation === 'string' ? JSON.parse(row.explanation) : row.explanation
  ) as StoredExplanationShape | null;
  const parts: string[] = [];
  if (stored?.session !== undefined) parts.push(`online charging session ${stored.session}`);
  if (stored?.destinationId)
    parts.push(`${stored.destinationId} by prefix ${stored.matchedPrefix ?? ''}`.trim());
  const spans = (stored?.spans ?? []).map((span) => {
    const band = span.band === undefined || span.band === '*any' ? '' : ` in ${span.band}`;
    return `${span.rate ?? '?'}${band}: ${billedText(span.billed ?? 0, row.unit)} billed`;
  });
  if (spans.length > 0) parts.push(spans.join(', '));
  if (row.allowance_units !== '0' && row.allowance_units !== '')
    parts.push(`${row.allowance_units} ${row.unit} from allowances`);
  return parts.join('; ');
}

/** Units a span billed, in the usage's unit: rating counts durations in milliseconds (decision 0003). */
function billedText(billed: string | number, unit: string): string {
  const base = typeof billed === 'number' ? billed : Number(billed);
  if (unit === 'seconds') return `${base / 1000} s`;
  return `${base} ${unit}`;
}
