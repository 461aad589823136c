import type { BucketHold } from './balance-bucket.js';

/**
 * Where the other side of a balance movement is booked. Every ledger transaction sums to zero per
 * unit: money and allowance units that leave an account's buckets arrive in one of these books,
 * and top-ups leave one. Books are per tenant and keep no cached balance (the sum of their
 * entries is their balance), so no charge ever waits on a shared row.
 */
export const LEDGER_BOOKS = [
  /** Buckets of customer accounts (entries name the bucket). */
  'account',
  /** Usage charged: revenue for money, consumption for allowance units. */
  'usage',
  /** Money paid in: payments, operator top-ups. */
  'topup',
  /** Vouchers redeemed. */
  'voucher',
  /** Operator adjustments (credits and debits by hand). */
  'adjustment',
  /** Refunds of earlier charges. */
  'refund',
  /** Balances and allowances that lapsed unused. */
  'expiry',
  /** Allowances granted (by a plan, a bundle purchase or an operator). */
  'allowance',
] as const;
export type LedgerBook = (typeof LEDGER_BOOKS)[number];

export interface EntryDraft {
  /** The customer bucket moved; null for the tenant's books. */
  readonly bucketId: string | null;
  readonly book: LedgerBook;
  /** Currency code or allowance unit. */
  readonly unit: string;
  /** Positive raises the bucket's balance (a credit to the customer); negative lowers it. */
  readonly amount: bigint;
}

/** Entries that take the holds out of the account and book them to `counterBook`. */
export function debitEntries(
  taken: readonly BucketHold[],
  unit: string,
  counterBook: LedgerBook,
): EntryDraft[] {
  const entries: EntryDraft[] = [];
  let total = 0n;
  for (const hold of taken) {
    if (hold.amount === 0n) continue;
    entries.push({ bucketId: hold.bucketId, book: 'account', unit, amount: -hold.amount });
    total += hold.amount;
  }
  if (total !== 0n) entries.push({ bucketId: null, book: counterBook, unit, amount: total });
  return entries;
}

/** Entries that put `amount` into a bucket from `sourceBook` (a top-up, a grant, a refund). */
export function creditEntries(
  bucketId: string,
  unit: string,
  amount: bigint,
  sourceBook: LedgerBook,
): EntryDraft[] {
  return [
    { bucketId, book: 'account', unit, amount },
    { bucketId: null, book: sourceBook, unit, amount: -amount },
  ];
}

/** The entries that undo a transaction: each entry negated. */
export function reversalEntries(entries: readonly EntryDraft[]): EntryDraft[] {
  return entries.map((e) => ({ ...e, amount: -e.amount }));
}

/** Units whose entries do not sum to zero; empty for a balanced transaction. */
export function unbalancedUnits(entries: readonly EntryDraft[]): string[] {
  const sums = new Map<string, bigint>();
  for (const entry of entries) sums.set(entry.unit, (sums.get(entry.unit) ?? 0n) + entry.amount);
  return [...sums].filter(([, sum]) => sum !== 0n).map(([unit]) => unit);
}
