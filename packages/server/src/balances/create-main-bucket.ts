import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';

/**
 * Every account has one main money bucket, in its currency: top-ups land there, charges come
 * from it after any allowances, and a postpaid account's credit limit applies to it. Created with
 * the account, in the same transaction.
 */
export async function createMainBucket(
  trx: Kysely<Database>,
  account: { readonly tenantId: string; readonly id: string; readonly currency: string },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('balance_buckets')
    .values({
      tenant_id: account.tenantId,
      account_id: account.id,
      kind: 'money',
      unit: account.currency,
      is_main: true,
      priority: MAIN_BUCKET_PRIORITY,
      label: 'Main balance',
      valid_from: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Spent last: allowances and promotional money (lower priorities) go first. */
export const MAIN_BUCKET_PRIORITY = 1000;
