import { type Kysely, sql, type Transaction } from 'kysely';
import type { LedgerTransactionKind } from '../../balances/balance-tables.js';
import type { Database } from '../../db/database-schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What moved the main bucket: one ledger transaction, or a day's usage of one kind. */
export interface BucketMovement {
  readonly kind: LedgerTransactionKind;
  /** Local day number of the account's zone. */
  readonly day: number;
  /** Null for usage, which is summed per day. */
  readonly transactionId: string | null;
  readonly reference: string | null;
  readonly description: string | null;
  readonly amountMicros: bigint;
}

export interface BucketMovementQuery {
  readonly tenantId: string;
  readonly bucketId: string;
  /** Where each local day of the period begins, and where the period ends (one more than its days). */
  readonly dayStartsMs: readonly number[];
  readonly fromDay: number;
  /** At most this many movements are read; the caller asks for one more than it prints. */
  readonly limit: number;
}

/**
 * Online charging describes a charge with its units (`call rating group 1: 60 seconds`); without
 * them, a day's charges of one service and rating group share one description and one line.
 */
const UNITS_OF_DESCRIPTION = ': [0-9]+ (seconds|bytes|messages|units)$';

/**
 * The bucket's balance before `atMs`: the sum of its ledger entries, not the cached balance, so
 * that it is exact for any past instant.
 */
export async function bucketBalanceBefore(
  db: Db,
  tenantId: string,
  bucketId: string,
  atMs: number,
): Promise<bigint> {
  const { rows } = await sql<{ amount: string }>`
    select coalesce(sum(amount), 0)::text as amount from ledger_entries
    where tenant_id = ${tenantId}::uuid and bucket_id = ${bucketId}::uuid
      and created_at < ${new Date(atMs).toISOString()}::timestamptz`.execute(db);
  return BigInt(rows[0]?.amount ?? '0');
}

/**
 * The bucket's movements over the period, in the order they were posted: a line per ledger
 * transaction, except usage, which is summed per local day and description (a prepaid line may
 * be charged thousands of times a day). The ledger does not record the service a charge was for,
 * so the description stands for it. Days are cut at the instants the caller computed in the
 * account's zone, so SQL does no time-zone arithmetic of its own.
 */
export async function readBucketMovements(db: Db, query: BucketMovementQuery): Promise<BucketMovement[]> {
  const starts = query.dayStartsMs.slice(0, -1).map((ms) => new Date(ms).toISOString());
  const ends = query.dayStartsMs.slice(1).map((ms) => new Date(ms).toISOString());
  const days = starts.map((_, index) => query.fromDay + index);
  const { rows } = await sql<{
    kind: LedgerTransactionKind;
    day: number;
    transaction_id: string | null;
    reference: string | null;
    description: string | null;
    amount: string;
  }>`
    with days as (
      select d.day, d.starts_at, d.ends_at
      from unnest(${days}::int4[], ${starts}::timestamptz[], ${ends}::timestamptz[]) as d(day, starts_at, ends_at)
    ), moved as (
      select t.id, t.kind, t.reference, t.description, d.day, sum(e.amount) as amount, min(e.id) as first_entry
      from ledger_entries e
      join ledger_transactions t on t.id = e.transaction_id
      join days d on e.created_at >= d.starts_at and e.created_at < d.ends_at
      where e.tenant_id = ${query.tenantId}::uuid and e.bucket_id = ${query.bucketId}::uuid
        and e.created_at >= ${starts[0]}::timestamptz and e.created_at < ${ends.at(-1)}::timestamptz
      group by t.id, t.kind, t.reference, t.description, d.day
    ), movements as (
      select kind, day,
        case when kind = 'charge' then null else id end as transaction_id,
        case when kind = 'charge' then null else reference end as reference,
        case when kind = 'charge' then regexp_replace(coalesce(description, ''), ${UNITS_OF_DESCRIPTION}, '')
          else description end as description,
        sum(amount) as amount, min(first_entry) as first_entry
      from moved
      group by 1, 2, 3, 4, 5
    )
    select kind, day, transaction_id, reference, description, amount::text as amount
    from movements
    where amount <> 0
    order by first_entry
    limit ${query.limit}`.execute(db);
  return rows.map((row) => ({
    kind: row.kind,
    day: Number(row.day),
    transactionId: row.transaction_id,
    reference: row.reference,
    description: row.description === '' ? null : row.description,
    amountMicros: BigInt(row.amount),
  }));
}

/** What one ledger transaction moved on a bucket, and the bucket's balance right after it. */
export interface TransactionOnBucket {
  readonly amountMicros: bigint;
  readonly balanceAfterMicros: bigint;
}

/**
 * The ledger orders a bucket's entries by id: the balance after a transaction is the sum of the
 * bucket's entries up to its last one. Undefined when the transaction did not move the bucket.
 */
export async function transactionOnBucket(
  db: Db,
  tenantId: string,
  bucketId: string,
  transactionId: string,
): Promise<TransactionOnBucket | undefined> {
  const { rows } = await sql<{ amount: string; balance_after: string }>`
    with own as (
      select sum(amount) as amount, max(id) as last_entry from ledger_entries
      where tenant_id = ${tenantId}::uuid and bucket_id = ${bucketId}::uuid
        and transaction_id = ${transactionId}::uuid
    )
    select own.amount::text as amount,
      (select sum(e.amount) from ledger_entries e
        where e.bucket_id = ${bucketId}::uuid and e.id <= own.last_entry)::text as balance_after
    from own where own.last_entry is not null`.execute(db);
  const row = rows[0];
  if (row === undefined) return undefined;
  return { amountMicros: BigInt(row.amount), balanceAfterMicros: BigInt(row.balance_after) };
}
