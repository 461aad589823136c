import { type EntryDraft, unbalancedUnits } from '@tollgate/core';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { LedgerTransactionKind } from './balance-tables.js';
import { availableAbove, bucketFloor } from './bucket-floor.js';

export interface LedgerTransactionDraft {
  readonly tenantId: string;
  readonly accountId: string;
  readonly kind: LedgerTransactionKind;
  readonly reference?: string | null;
  readonly description?: string | null;
  /** The transaction this one undoes (kind reversal); each can be reversed once. */
  readonly reversesId?: string | null;
  readonly entries: readonly EntryDraft[];
  readonly now: Date;
  /**
   * `enforce` (the default) refuses a debit that takes a bucket below its floor. `skip` is for a
   * caller that has already held what it debits (committing a reservation lowers `reserved` as it
   * lowers `balance`, so the hold itself was the check).
   */
  readonly floors?: 'enforce' | 'skip';
}

export type PostLedgerOutcome =
  | { readonly ok: true; readonly transactionId: string }
  | {
      readonly ok: false;
      readonly code: 'insufficient_balance';
      readonly bucketId: string;
      /** In the bucket's unit: micro-units for money, base units for allowances. */
      readonly availableAmount: bigint;
      readonly neededAmount: bigint;
      readonly message: string;
    };

interface BucketDelta {
  readonly unit: string;
  delta: bigint;
}

/**
 * Posts one balanced transaction inside the caller's database transaction: the transaction row,
 * its entries (one multi-row insert) and the cached balance of every bucket it moves (one
 * statement). The buckets are locked first, in id order (so two posters never deadlock), and
 * every debit is checked against its bucket's floor, counting what is reserved. A refusal writes
 * nothing. Unbalanced entries, or buckets of another account, are bugs of the caller: they throw.
 */
export async function postLedgerTransaction(
  trx: Transaction<Database>,
  draft: LedgerTransactionDraft,
): Promise<PostLedgerOutcome> {
  const deltas = checkedDeltas(draft.entries);
  const refusal = await lockAndCheckBuckets(trx, draft, deltas);
  if (refusal !== null) return refusal;
  const { id: transactionId } = await trx
    .insertInto('ledger_transactions')
    .values({
      tenant_id: draft.tenantId,
      account_id: draft.accountId,
      kind: draft.kind,
      reverses_id: draft.reversesId ?? null,
      reference: draft.reference ?? null,
      description: draft.description ?? null,
      created_at: draft.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('ledger_entries')
    .values(
      draft.entries.map((entry) => ({
        tenant_id: draft.tenantId,
        account_id: draft.accountId,
        transaction_id: transactionId,
        bucket_id: entry.bucketId,
        book: entry.book,
        unit: entry.unit,
        amount: entry.amount,
        created_at: draft.now,
      })),
    )
    .execute();
  await moveCachedBalances(trx, deltas, draft.now);
  return { ok: true, transactionId };
}

/** Net change per bucket; throws on a transaction that does not balance or an entry that cannot be. */
function checkedDeltas(entries: readonly EntryDraft[]): Map<string, BucketDelta> {
  if (entries.length === 0) throw new Error('a ledger transaction needs entries');
  const unbalanced = unbalancedUnits(entries);
  if (unbalanced.length > 0) throw new Error(`ledger entries do not balance in ${unbalanced.join(', ')}`);
  const deltas = new Map<string, BucketDelta>();
  for (const entry of entries) {
    if (entry.amount === 0n) throw new Error('a ledger entry of zero');
    if ((entry.book === 'account') !== (entry.bucketId !== null))
      throw new Error(`book ${entry.book} with bucket ${entry.bucketId}: only account entries name a bucket`);
    if (entry.bucketId === null) continue;
    const known = deltas.get(entry.bucketId);
    if (known === undefined) deltas.set(entry.bucketId, { unit: entry.unit, delta: entry.amount });
    else if (known.unit !== entry.unit) throw new Error(`bucket ${entry.bucketId} moved in two units`);
    else known.delta += entry.amount;
  }
  return deltas;
}

async function lockAndCheckBuckets(
  trx: Transaction<Database>,
  draft: LedgerTransactionDraft,
  deltas: ReadonlyMap<string, BucketDelta>,
): Promise<PostLedgerOutcome | null> {
  if (deltas.size === 0) return null;
  const buckets = await trx
    .selectFrom('balance_buckets as b')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 'b.tenant_id').onRef('a.id', '=', 'b.account_id'),
    )
    .select([
      'b.id',
      'b.account_id',
      'b.unit',
      'b.is_main',
      'b.balance',
      'b.reserved',
      'a.kind',
      'a.credit_limit_micros',
    ])
    .where('b.tenant_id', '=', draft.tenantId)
    .where('b.id', 'in', [...deltas.keys()])
    .orderBy('b.id')
    .forUpdate('b')
    .execute();
  if (buckets.length !== deltas.size)
    throw new Error('a ledger entry names a bucket the tenant does not have');
  for (const bucket of buckets) {
    const { unit, delta } = deltas.get(bucket.id)!;
    if (bucket.account_id !== draft.accountId)
      throw new Error(`bucket ${bucket.id} is not of account ${draft.accountId}`);
    if (bucket.unit !== unit) throw new Error(`bucket ${bucket.id} holds ${bucket.unit}, not ${unit}`);
    if (delta >= 0n || draft.floors === 'skip') continue;
    const available = availableAbove(bucket.balance, bucket.reserved, bucketFloor(bucket, bucket));
    if (available !== null && available < -delta) {
      return {
        ok: false,
        code: 'insufficient_balance',
        bucketId: bucket.id,
        availableAmount: available,
        neededAmount: -delta,
        message: `bucket ${bucket.id} can pay ${available} base units of ${unit}; the debit needs ${-delta}`,
      };
    }
  }
  return null;
}

/** One statement for every bucket: `balance = balance + delta` from a VALUES list. */
async function moveCachedBalances(
  trx: Transaction<Database>,
  deltas: ReadonlyMap<string, BucketDelta>,
  now: Date,
): Promise<void> {
  const moved = [...deltas].filter(([, { delta }]) => delta !== 0n);
  if (moved.length === 0) return;
  const rows = sql.join(moved.map(([id, { delta }]) => sql`(${id}::uuid, ${delta}::int8)`));
  await sql`
    update balance_buckets as b set balance = b.balance + d.delta, updated_at = ${now}
    from (values ${rows}) as d(id, delta)
    where b.id = d.id`.execute(trx);
}
