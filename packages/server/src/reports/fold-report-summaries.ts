import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';

/** A summary table: the columns of its key and the columns summed. */
interface SummaryShape {
  readonly table: string;
  readonly keys: readonly string[];
  readonly sums: readonly string[];
}

export const SUMMARY_SHAPES: readonly SummaryShape[] = [
  {
    table: 'report_usage_daily',
    keys: ['tenant_id', 'day', 'service', 'source_id', 'plan_id', 'currency', 'unit'],
    sums: ['events', 'units', 'charged_micros', 'list_micros'],
  },
  {
    table: 'report_usage_hourly',
    keys: ['tenant_id', 'month', 'weekday', 'hour', 'service', 'currency', 'unit'],
    sums: ['events', 'units', 'charged_micros'],
  },
  {
    table: 'report_usage_destinations',
    keys: ['tenant_id', 'month', 'service', 'destination', 'currency', 'unit'],
    sums: ['events', 'units', 'charged_micros', 'list_micros'],
  },
  {
    table: 'report_invoice_daily',
    keys: ['tenant_id', 'day', 'currency', 'kind'],
    sums: ['documents', 'net_micros', 'tax_micros', 'total_micros'],
  },
  {
    table: 'report_revenue_daily',
    keys: ['tenant_id', 'day', 'currency', 'kind', 'line_kind', 'service', 'plan_id'],
    sums: ['lines', 'amount_micros', 'tax_micros'],
  },
  {
    table: 'report_tax_daily',
    keys: ['tenant_id', 'day', 'currency', 'code', 'name', 'rate_percent'],
    sums: ['lines', 'base_micros', 'tax_micros'],
  },
  {
    table: 'report_payments_daily',
    keys: ['tenant_id', 'day', 'currency', 'source'],
    sums: ['payments', 'received_micros', 'refunded_micros', 'charged_back_micros'],
  },
];

/** Pending deltas one pass folds per table: a bounded statement, repeated while more wait. */
const FOLD_BATCH_ROWS = 100_000;
/** A bound on the passes of one fold: 100 passes is ten million deltas per table. */
const MAX_FOLD_PASSES = 100;
/** The advisory lock that makes one folder at a time: "reports" in ASCII. */
const FOLD_LOCK_KEY = 0x7265706f727473n;

export interface FoldOutcome {
  /** False when another process was folding: nothing was done, nothing needed. */
  readonly folded: boolean;
  readonly deltaRows: number;
}

/**
 * Folds the pending delta rows of every summary into one folded row per key (with the key's
 * folded row so far), under an advisory lock so two folders never take the same rows. Writers go
 * on appending meanwhile: a fold deletes only the committed rows it reads, and never touches a
 * row a writer holds. Reports are right before and after a fold; it only makes them cheaper.
 */
export async function foldReportSummaries(db: Kysely<Database>): Promise<FoldOutcome> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_xact_lock(${FOLD_LOCK_KEY.toString()}::int8) as locked`.execute(trx);
    if (rows[0]?.locked !== true) return { folded: false, deltaRows: 0 };
    let deltaRows = 0;
    for (const shape of SUMMARY_SHAPES) {
      for (let pass = 0; pass < MAX_FOLD_PASSES; pass++) {
        const moved = await foldPass(trx, shape);
        deltaRows += moved;
        if (moved < FOLD_BATCH_ROWS) break;
      }
    }
    return { folded: true, deltaRows };
  });
}

async function foldPass(db: Kysely<Database>, shape: SummaryShape): Promise<number> {
  const keys = sql.raw(shape.keys.join(', '));
  const columns = sql.raw([...shape.keys, ...shape.sums].join(', '));
  const fColumns = sql.raw([...shape.keys, ...shape.sums].map((c) => `f.${c}`).join(', '));
  const sums = sql.raw(shape.sums.map((c) => `sum(${c})`).join(', '));
  const nonZero = sql.raw(shape.sums.map((c) => `sum(${c}) <> 0`).join(' or '));
  const sameKey = sql.raw(shape.keys.map((c) => `f.${c} = k.${c}`).join(' and '));
  const table = sql.table(shape.table);
  const { rows } = await sql<{ moved: string }>`
    with pending as (
      delete from ${table} where ctid = any (array(
        select ctid from ${table} where not folded limit ${FOLD_BATCH_ROWS}))
      returning ${columns}
    ), touched as (
      select distinct ${keys} from pending
    ), merged as (
      delete from ${table} f using touched k where f.folded and ${sameKey}
      returning ${fColumns}
    ), written as (
      insert into ${table} (${columns}, folded)
      select ${keys}, ${sums}, true
      from (select ${columns} from pending union all select ${columns} from merged) x
      group by ${keys}
      having ${nonZero}
    )
    select count(*)::text as moved from pending`.execute(db);
  return Number(rows[0]?.moved ?? 0);
}
