import { debitEntries } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { postLedgerTransaction } from './post-ledger-transaction.js';

/** Buckets expired per call; the periodic job calls again for the rest. */
export const MAX_EXPIRIES_PER_RUN = 500;

const SYSTEM = { type: 'system', id: 'bucket-expiry' } as const;

export interface ExpiryRun {
  readonly expired: number;
  readonly transactionIds: readonly string[];
}

/**
 * Takes what is left out of buckets whose validity has ended, into the tenant's expiry book, one
 * transaction per bucket. A bucket with pending reservations waits: a session still holds part of
 * it and will commit or release it first. Each bucket is re-read under its row lock, so two
 * nodes running this at once expire it once.
 */
export async function expireLapsedBuckets(db: Kysely<Database>, now: Date): Promise<ExpiryRun> {
  const candidates = await db
    .selectFrom('balance_buckets as b')
    .select(['b.id', 'b.tenant_id'])
    .where('b.valid_to', 'is not', null)
    .where('b.valid_to', '<=', now)
    .where('b.balance', '>', 0n)
    .where('b.reserved', '=', 0n)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('reservations as r')
            .select(sql`1`.as('one'))
            .whereRef('r.bucket_id', '=', 'b.id')
            .where('r.status', '=', 'pending'),
        ),
      ),
    )
    .orderBy('b.valid_to')
    .limit(MAX_EXPIRIES_PER_RUN)
    .execute();
  const transactionIds: string[] = [];
  for (const candidate of candidates) {
    const id = await expireBucket(db, candidate.tenant_id, candidate.id, now);
    if (id !== null) transactionIds.push(id);
  }
  return { expired: transactionIds.length, transactionIds };
}

async function expireBucket(
  db: Kysely<Database>,
  tenantId: string,
  bucketId: string,
  now: Date,
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const bucket = await trx
      .selectFrom('balance_buckets')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', bucketId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const pending = await trx
      .selectFrom('reservations')
      .select('id')
      .where('bucket_id', '=', bucketId)
      .where('status', '=', 'pending')
      .limit(1)
      .executeTakeFirst();
    if (bucket.balance <= 0n || bucket.reserved !== 0n || pending !== undefined) return null;
    const posted = await postLedgerTransaction(trx, {
      tenantId,
      accountId: bucket.account_id,
      kind: 'expiry',
      description: `${bucket.label ?? bucket.kind} lapsed at ${bucket.valid_to?.toISOString()}`,
      entries: debitEntries([{ bucketId, amount: bucket.balance }], bucket.unit, 'expiry'),
      now,
    });
    if (!posted.ok) throw new Error(`expiring bucket ${bucketId} was refused: ${posted.message}`);
    await recordAuditEntry(trx, {
      tenantId,
      actor: SYSTEM,
      action: 'ledger.expired',
      objectType: 'balance_bucket',
      objectId: bucketId,
      before: { balance: bucket.balance, unit: bucket.unit },
      after: { transactionId: posted.transactionId },
      occurredAt: now,
    });
    return posted.transactionId;
  });
}
