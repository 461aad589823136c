import type { Kysely } from 'kysely';
import { findAccount } from '../accounts/account-store.js';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import type { AccountBalance } from './balance-schemas.js';
import { listBuckets, toBucketView } from './balance-store.js';
import { availableAbove, bucketFloor } from './bucket-floor.js';

/**
 * An account's buckets and what it can spend now. "Available to spend" counts the money any
 * usage may draw on: the main bucket and the money buckets valid now for every line and service.
 * Money allowances for one service or line are listed but not counted. Undefined: no such account
 * in the tenant.
 */
export async function readAccountBalance(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<AccountBalance | undefined> {
  const account = await findAccount(db, tenantId, accountId);
  if (account === undefined) return undefined;
  const buckets = await listBuckets(db, tenantId, accountId);
  const main = buckets.find((b) => b.is_main);
  if (main === undefined) throw new Error(`account ${accountId} has no main bucket`);
  let availableToSpend: bigint | null = 0n;
  for (const bucket of buckets) {
    const counts =
      bucket.unit === account.currency &&
      bucket.service === null &&
      bucket.subscription_id === null &&
      bucket.valid_from <= now &&
      (bucket.valid_to === null || now < bucket.valid_to);
    if (!counts) continue;
    const available = availableAbove(bucket.balance, bucket.reserved, bucketFloor(bucket, account));
    availableToSpend = available === null || availableToSpend === null ? null : availableToSpend + available;
  }
  return {
    accountId,
    currency: account.currency,
    mainBalance: formatMoneyAmount(main.balance, account.currency),
    creditLimit:
      account.credit_limit_micros === null
        ? null
        : formatMoneyAmount(account.credit_limit_micros, account.currency),
    availableToSpend:
      availableToSpend === null ? null : formatMoneyAmount(availableToSpend, account.currency),
    buckets: buckets.map((b) => toBucketView(b, account)),
  };
}
