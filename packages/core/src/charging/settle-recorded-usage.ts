import {
  type BucketHold,
  type BucketState,
  moneyBucketsFor,
  sumHolds,
  takeFrom,
  type UsageScope,
  unitAllowancesFor,
} from './balance-bucket.js';
import { priceOf, type UsagePrice } from './usage-price.js';

/**
 * How an account pays for usage reported after the fact (a CDR): `balance` takes the money from
 * its buckets at once, down to their floors (prepaid and hybrid accounts); `invoice` leaves the
 * money owed for the next invoice (postpaid accounts). Allowances are spent first either way.
 */
export type RecordedUsagePayment = 'balance' | 'invoice';

export interface RecordedUsage {
  readonly scope: UsageScope;
  readonly units: bigint;
  readonly price: UsagePrice;
  readonly payment: RecordedUsagePayment;
}

export interface RecordedSettlement {
  /** The tariff's price of every unit, as if no allowance applied. */
  readonly listMicros: bigint;
  readonly allowanceTaken: readonly BucketHold[];
  readonly allowanceUnits: bigint;
  /** The money the usage costs after allowances: what the customer owes for it. */
  readonly chargedMicros: bigint;
  /** Money taken from buckets (money allowances, then balances). */
  readonly moneyTaken: readonly BucketHold[];
  /** For `balance`: what the buckets could not pay, kept for the operator; else 0. */
  readonly unpaidMicros: bigint;
}

export type RecordedSettleOutcome =
  | { readonly ok: true; readonly settlement: RecordedSettlement }
  | { readonly ok: false; readonly code: 'rating_failed'; readonly message: string };

/**
 * Settles one recorded usage against an account's buckets, as online charging would have: unit
 * allowances for the service by priority, then money for the rest, priced from zero (connect fees
 * and minimum charges apply to the part paid in money, as in a session). The buckets passed are
 * the caller's working copies; their balances are lowered by what was taken, so the next usage
 * of the same batch sees what this one left.
 */
/** Lowers the balances of the buckets held; few buckets per account, so a scan beats a map. */
function lower(buckets: readonly BucketState[], holds: readonly BucketHold[]): void {
  for (const hold of holds) {
    const bucket = buckets.find((b) => b.id === hold.bucketId);
    if (bucket === undefined) throw new Error(`hold on bucket ${hold.bucketId}, which is not the account's`);
    bucket.balance -= hold.amount;
  }
}

export function settleRecordedUsage(
  buckets: readonly BucketState[],
  usage: RecordedUsage,
): RecordedSettleOutcome {
  if (usage.units < 0n) throw new Error(`settleRecordedUsage needs a non-negative usage, got ${usage.units}`);
  const list = priceOf(usage.price, usage.units);
  if (!list.ok) return list;
  const allowance = takeFrom(unitAllowancesFor(buckets, usage.scope), usage.units);
  const allowanceUnits = sumHolds(allowance.holds);
  const moneyUnits = usage.units - allowanceUnits;
  const due = moneyUnits === usage.units ? list : priceOf(usage.price, moneyUnits);
  if (!due.ok) return due;
  const payers = moneyBucketsFor(buckets, usage.scope).filter(
    (b) => usage.payment === 'balance' || b.kind === 'allowance',
  );
  const money = takeFrom(payers, due.micros);
  lower(buckets, allowance.holds);
  lower(buckets, money.holds);
  return {
    ok: true,
    settlement: {
      listMicros: list.micros,
      allowanceTaken: allowance.holds,
      allowanceUnits,
      chargedMicros: due.micros,
      moneyTaken: money.holds,
      unpaidMicros: usage.payment === 'balance' ? money.remaining : 0n,
    },
  };
}
