import type { BalanceFailure } from './balance-failure.js';
import { formatBucketAmount } from './bucket-amount.js';
import type { PostLedgerOutcome } from './post-ledger-transaction.js';

/** The failure for a debit the ledger refused, in the bucket's unit, for people to read. */
export function insufficientBalance(
  refusal: Extract<PostLedgerOutcome, { ok: false }>,
  unit: string,
): BalanceFailure {
  const available = formatBucketAmount(refusal.availableAmount, unit);
  const needed = formatBucketAmount(refusal.neededAmount, unit);
  return {
    ok: false,
    code: 'insufficient_balance',
    message: `bucket ${refusal.bucketId} has ${available} ${unit} available above its floor; this needs ${needed} ${unit}`,
  };
}
