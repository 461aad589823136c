import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';

export type LedgerProblemKind =
  | 'bucket_balance_mismatch'
  | 'bucket_reserved_mismatch'
  | 'unbalanced_transaction'
  | 'below_floor';

/**
 * One thing the ledger's invariants say cannot be. Amounts are in the unit's base units
 * (micro-units for money). `expected` is what the ledger's own records say (the sum of entries or
 * of pending reservations; zero for a transaction's sum; the floor for below_floor), `actual` what
 * was found (the cached column, the transaction's sum, the bucket's balance less reserved).
 */
export interface LedgerProblem {
  readonly kind: LedgerProblemKind;
  readonly tenantId: string;
  readonly accountId: string;
  readonly bucketId: string | null;
  readonly transactionId: string | null;
  readonly unit: string;
  readonly expected: bigint;
  readonly actual: bigint;
}

export interface LedgerVerification {
  readonly bucketsChecked: number;
  readonly transactionsChecked: number;
  readonly problems: readonly LedgerProblem[];
}

/** Each kind of problem lists at most this many: a broken ledger is reported, not dumped whole. */
export const MAX_PROBLEMS_PER_KIND = 1000;

interface ProblemRow {
  tenant_id: string;
  account_id: string;
  bucket_id: string | null;
  transaction_id: string | null;
  unit: string;
  expected: bigint;
  actual: bigint;
}

/**
 * Checks the ledger's invariants with a few set-based queries (group by, never row by row):
 * every bucket's cached balance is the sum of its entries and its reserved the sum of its pending
 * reservations; every transaction's entries sum to zero per unit; no bucket whose floor is zero
 * (every bucket but the main one of a postpaid or hybrid account, whose limit may have been
 * lowered since) holds less than it has reserved. Optionally for one tenant.
 */
export async function verifyLedger(
  db: Kysely<Database>,
  options: { readonly tenantId?: string } = {},
): Promise<LedgerVerification> {
  const only = (column: string) =>
    options.tenantId === undefined ? sql`true` : sql`${sql.ref(column)} = ${options.tenantId}::uuid`;
  const balance = await problems(
    db,
    sql`
    select b.tenant_id, b.account_id, b.id as bucket_id, null::uuid as transaction_id, b.unit,
           coalesce(s.total, 0)::int8 as expected, b.balance as actual
    from balance_buckets b
    left join (select bucket_id, sum(amount) as total from ledger_entries
               where bucket_id is not null and ${only('tenant_id')} group by bucket_id) s on s.bucket_id = b.id
    where ${only('b.tenant_id')} and b.balance <> coalesce(s.total, 0)`,
  );
  const reserved = await problems(
    db,
    sql`
    select b.tenant_id, b.account_id, b.id as bucket_id, null::uuid as transaction_id, b.unit,
           coalesce(s.total, 0)::int8 as expected, b.reserved as actual
    from balance_buckets b
    left join (select bucket_id, sum(amount) as total from reservations
               where status = 'pending' and ${only('tenant_id')} group by bucket_id) s on s.bucket_id = b.id
    where ${only('b.tenant_id')} and b.reserved <> coalesce(s.total, 0)`,
  );
  const unbalanced = await problems(
    db,
    sql`
    select tenant_id, account_id, null::uuid as bucket_id, transaction_id, unit,
           0::int8 as expected, sum(amount)::int8 as actual
    from ledger_entries
    where ${only('tenant_id')}
    group by tenant_id, account_id, transaction_id, unit
    having sum(amount) <> 0`,
  );
  const belowFloor = await problems(
    db,
    sql`
    select b.tenant_id, b.account_id, b.id as bucket_id, null::uuid as transaction_id, b.unit,
           0::int8 as expected, (b.balance - b.reserved)::int8 as actual
    from balance_buckets b
    join accounts a on a.tenant_id = b.tenant_id and a.id = b.account_id
    where ${only('b.tenant_id')} and b.balance - b.reserved < 0
      and not (b.is_main and a.kind in ('postpaid', 'hybrid'))`,
  );
  const counts = await sql<{ buckets: number; transactions: number }>`
    select (select count(*)::int4 from balance_buckets where ${only('tenant_id')}) as buckets,
           (select count(*)::int4 from ledger_transactions where ${only('tenant_id')}) as transactions`.execute(
    db,
  );
  const { buckets, transactions } = counts.rows[0]!;
  return {
    bucketsChecked: buckets,
    transactionsChecked: transactions,
    problems: [
      ...balance.map((row) => toProblem('bucket_balance_mismatch', row)),
      ...reserved.map((row) => toProblem('bucket_reserved_mismatch', row)),
      ...unbalanced.map((row) => toProblem('unbalanced_transaction', row)),
      ...belowFloor.map((row) => toProblem('below_floor', row)),
    ],
  };
}

async function problems(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<ProblemRow[]> {
  const result = await sql<ProblemRow>`${query} limit ${MAX_PROBLEMS_PER_KIND}`.execute(db);
  return result.rows;
}

function toProblem(kind: LedgerProblemKind, row: ProblemRow): LedgerProblem {
  return {
    kind,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    bucketId: row.bucket_id,
    transactionId: row.transaction_id,
    unit: row.unit,
    expected: BigInt(row.expected),
    actual: BigInt(row.actual),
  };
}
