import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import { keysetPage } from '../../db/keyset-page.js';
import type { CursorPosition } from '../../http/pagination.js';
import type { FxRateTable } from '../billing-tables.js';
import type { FxRate } from './fx-rate-schemas.js';
import { shortestDecimal } from './shortest-decimal.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type FxRateRow = Selectable<FxRateTable>;

/** A rate as billing uses it: the exact decimal, the day it is dated and where it came from. */
export interface FoundFxRate {
  /** Units of `to` per unit of `from`, the shortest exact decimal ("1.0853"). */
  readonly rate: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly source: string;
}

export function toFxRate(row: FxRateRow): FxRate {
  return {
    id: row.id,
    from: row.from_currency,
    to: row.to_currency,
    date: row.rate_date,
    rate: shortestDecimal(row.rate),
    source: row.source,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The rate from `from` to `to` that was in force on a day: the latest dated on or before it
 * (rates are published on working days, so a weekend takes Friday's). Undefined when none is
 * that old. The inverse pair is not derived: 1 / rate is rarely exact, and invoices must show
 * the rate they used.
 */
export async function findFxRate(
  db: Executor,
  tenantId: string,
  from: string,
  to: string,
  onOrBefore: string,
): Promise<FoundFxRate | undefined> {
  const row = await db
    .selectFrom('fx_rates')
    .select(['rate', 'rate_date', 'source'])
    .where('tenant_id', '=', tenantId)
    .where('from_currency', '=', from)
    .where('to_currency', '=', to)
    .where('rate_date', '<=', onOrBefore)
    .orderBy('rate_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { rate: shortestDecimal(row.rate), date: row.rate_date, source: row.source };
}

/** The rate recorded for a pair on one day, if any. */
export async function findFxRateOfDay(
  db: Executor,
  tenantId: string,
  from: string,
  to: string,
  date: string,
): Promise<FxRateRow | undefined> {
  return db
    .selectFrom('fx_rates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('from_currency', '=', from)
    .where('to_currency', '=', to)
    .where('rate_date', '=', date)
    .executeTakeFirst();
}

export interface FxRatePageRequest {
  readonly filters: {
    readonly from: string | undefined;
    readonly to: string | undefined;
    /** YYYY-MM-DD, inclusive. */
    readonly dateFrom: string | undefined;
    readonly dateTo: string | undefined;
  };
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  /** Rows to fetch: the page size plus one, which tells whether another page follows. */
  readonly rows: number;
}

/** A page of a tenant's exchange rates by creation time (keyset pagination on (created_at, id)). */
export async function listFxRates(
  db: Executor,
  tenantId: string,
  request: FxRatePageRequest,
): Promise<FxRateRow[]> {
  const { filters } = request;
  let query = db.selectFrom('fx_rates').selectAll().where('tenant_id', '=', tenantId);
  if (filters.from !== undefined) query = query.where('from_currency', '=', filters.from);
  if (filters.to !== undefined) query = query.where('to_currency', '=', filters.to);
  if (filters.dateFrom !== undefined) query = query.where('rate_date', '>=', filters.dateFrom);
  if (filters.dateTo !== undefined) query = query.where('rate_date', '<=', filters.dateTo);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}
