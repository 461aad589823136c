/**
 * A balance bucket of an account: money in the account currency, or an allowance of units
 * (seconds, bytes, messages) or of money for one service. Buckets are what reservations hold and
 * what ledger entries move. Amounts are integers of the bucket's unit: micro-units for money,
 * whole seconds, bytes or messages for allowances.
 */
export type BucketKind = 'money' | 'allowance';

/** The units an allowance can hold besides money (which is held in a currency code). */
export const ALLOWANCE_UNITS = ['seconds', 'bytes', 'messages', 'units'] as const;
export type AllowanceUnit = (typeof ALLOWANCE_UNITS)[number];

/**
 * A bucket as a batch of charging operations sees it: `balance` (posted) and `reserved`
 * (pending) change as the batch applies operations one after another, so this is a working copy
 * owned by one batch, never shared.
 */
export interface BucketState {
  readonly id: string;
  readonly kind: BucketKind;
  /** An ISO 4217 code for money (and money allowances), else an allowance unit. */
  readonly unit: string;
  /** The tariff category (service) an allowance is limited to; null: every service. */
  readonly service: string | null;
  /** The one line (subscription) the bucket serves; null: every line of the account. */
  readonly subscriptionId: string | null;
  /** Lower first. */
  readonly priority: number;
  readonly validFromMs: number;
  /** Exclusive; null: open-ended. */
  readonly validToMs: number | null;
  /**
   * The lowest `balance - reserved` may reach: 0 for prepaid money and allowances, minus the
   * credit limit for the main money bucket of a postpaid or hybrid account.
   */
  readonly floor: bigint;
  balance: bigint;
  reserved: bigint;
}

/** What the bucket can still pay or hold: balance less reservations, down to its floor. */
export function availableIn(bucket: BucketState): bigint {
  const available = bucket.balance - bucket.reserved - bucket.floor;
  return available > 0n ? available : 0n;
}

export function isValidAt(bucket: BucketState, nowMs: number): boolean {
  return bucket.validFromMs <= nowMs && (bucket.validToMs === null || nowMs < bucket.validToMs);
}

/** Who is charging: a usage of one service by one line, at an instant. */
export interface UsageScope {
  readonly subscriptionId: string;
  readonly service: string;
  /** The unit the service is measured in. */
  readonly unit: AllowanceUnit;
  /** The account's currency: the unit of its money buckets. */
  readonly currency: string;
  readonly nowMs: number;
}

function servesScope(bucket: BucketState, scope: UsageScope): boolean {
  return (
    isValidAt(bucket, scope.nowMs) &&
    (bucket.service === null || bucket.service === scope.service) &&
    (bucket.subscriptionId === null || bucket.subscriptionId === scope.subscriptionId)
  );
}

function byPriority(a: BucketState, b: BucketState): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  // Of equal priority, the one that lapses first is spent first.
  const aEnd = a.validToMs ?? Number.POSITIVE_INFINITY;
  const bEnd = b.validToMs ?? Number.POSITIVE_INFINITY;
  if (aEnd !== bEnd) return aEnd - bEnd;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The unit allowances a usage may draw on, in the order they are spent. */
export function unitAllowancesFor(buckets: readonly BucketState[], scope: UsageScope): BucketState[] {
  return buckets
    .filter((b) => b.kind === 'allowance' && b.unit === scope.unit && servesScope(b, scope))
    .sort(byPriority);
}

/**
 * The money a usage may draw on, in the order it is spent: money allowances for the service
 * first, then the account's money buckets, each group by priority.
 */
export function moneyBucketsFor(buckets: readonly BucketState[], scope: UsageScope): BucketState[] {
  const applicable = buckets.filter((b) => b.unit === scope.currency && servesScope(b, scope));
  const allowances = applicable.filter((b) => b.kind === 'allowance').sort(byPriority);
  const money = applicable.filter((b) => b.kind === 'money').sort(byPriority);
  return [...allowances, ...money];
}

/** A hold of one bucket: units or micro-units reserved for (or taken by) one usage. */
export interface BucketHold {
  readonly bucketId: string;
  readonly amount: bigint;
}

/** Takes `wanted` from buckets in order, as far as each can pay; returns the holds and the rest. */
export function takeFrom(
  ordered: readonly BucketState[],
  wanted: bigint,
): { holds: BucketHold[]; remaining: bigint } {
  const holds: BucketHold[] = [];
  let remaining = wanted;
  for (const bucket of ordered) {
    if (remaining === 0n) break;
    const available = availableIn(bucket);
    if (available === 0n) continue;
    const amount = available < remaining ? available : remaining;
    holds.push({ bucketId: bucket.id, amount });
    remaining -= amount;
  }
  return { holds, remaining };
}

export function sumHolds(holds: readonly BucketHold[]): bigint {
  let total = 0n;
  for (const hold of holds) total += hold.amount;
  return total;
}
