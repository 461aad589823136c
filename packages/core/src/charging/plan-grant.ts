import {
  availableIn,
  type BucketHold,
  type BucketState,
  moneyBucketsFor,
  sumHolds,
  takeFrom,
  type UsageScope,
  unitAllowancesFor,
} from './balance-bucket.js';
import { priceOf, type UsagePrice } from './usage-price.js';

export interface GrantRequest {
  readonly scope: UsageScope;
  /** Units asked for; at least 1. */
  readonly requestedUnits: bigint;
  /** Units of this usage already priced in money (earlier in the session); they set the offset. */
  readonly moneyUnitsBefore: bigint;
  /** Events are charged whole or not at all; sessions get what is left, marked final. */
  readonly allOrNothing: boolean;
  /** What the line may still spend under its spending cap; null when it has none. */
  readonly capRemainingMicros: bigint | null;
  readonly price: UsagePrice;
}

export interface Grant {
  readonly grantedUnits: bigint;
  /** Allowance units held, bucket by bucket, in the order they are spent. */
  readonly allowanceHolds: readonly BucketHold[];
  /** Units of the grant priced in money (granted less those an allowance covers). */
  readonly moneyUnits: bigint;
  /** Money held, bucket by bucket. */
  readonly moneyHolds: readonly BucketHold[];
  readonly moneyMicros: bigint;
  /** RFC 4006 Final-Unit-Indication: less than asked was granted because the balance ran out. */
  readonly finalUnit: boolean;
}

export type GrantOutcome =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly code: 'insufficient_balance' | 'rating_failed'; readonly message: string };

/**
 * Decides what to reserve for a request: allowances first, in priority order, then money for the
 * rest, priced incrementally after the units already priced. Never holds more than the buckets
 * can pay (down to their floors) or the line's cap allows. When the money falls short, a session
 * gets the largest number of units it can pay for, marked final; an event gets nothing.
 * Pure: reads the buckets, changes nothing.
 */
export function planGrant(buckets: readonly BucketState[], request: GrantRequest): GrantOutcome {
  const { scope, requestedUnits, moneyUnitsBefore } = request;
  if (requestedUnits <= 0n) throw new Error(`planGrant needs at least one unit, got ${requestedUnits}`);
  const base = priceOf(request.price, moneyUnitsBefore);
  if (!base.ok) return base;
  // Price the whole request even when allowances cover it: a usage with no rate is refused.
  const whole = priceOf(request.price, moneyUnitsBefore + requestedUnits);
  if (!whole.ok) return whole;

  const allowance = takeFrom(unitAllowancesFor(buckets, scope), requestedUnits);
  const allowanceUnits = requestedUnits - allowance.remaining;
  const moneyBuckets = moneyBucketsFor(buckets, scope);
  const affordable = affordableMicros(moneyBuckets, request.capRemainingMicros);
  let moneyUnits = allowance.remaining;
  let moneyMicros =
    moneyUnits === 0n ? 0n : deltaPrice(request.price, moneyUnitsBefore, moneyUnits, base.micros);
  const neededMicros = moneyMicros;
  if (moneyMicros > affordable) {
    if (request.allOrNothing) return shortfall(neededMicros, affordable, scope.currency);
    moneyUnits = largestAffordable(request.price, moneyUnitsBefore, moneyUnits, base.micros, affordable);
    moneyMicros = deltaPrice(request.price, moneyUnitsBefore, moneyUnits, base.micros);
  }
  const grantedUnits = allowanceUnits + moneyUnits;
  if (grantedUnits === 0n) return shortfall(neededMicros, affordable, scope.currency);
  const money = takeFrom(moneyBuckets, moneyMicros);
  if (money.remaining !== 0n) throw new Error('planGrant: affordable money could not be held');
  return {
    ok: true,
    grant: {
      grantedUnits,
      allowanceHolds: allowance.holds,
      moneyUnits,
      moneyHolds: money.holds,
      moneyMicros: sumHolds(money.holds),
      finalUnit: grantedUnits < requestedUnits,
    },
  };
}

function affordableMicros(moneyBuckets: readonly BucketState[], capRemainingMicros: bigint | null): bigint {
  let total = 0n;
  for (const bucket of moneyBuckets) total += availableIn(bucket);
  if (capRemainingMicros !== null && capRemainingMicros < total)
    return capRemainingMicros > 0n ? capRemainingMicros : 0n;
  return total;
}

/** Price of `units` more units after `before`; rating already succeeded for a longer usage. */
function deltaPrice(price: UsagePrice, before: bigint, units: bigint, baseMicros: bigint): bigint {
  const outcome = priceOf(price, before + units);
  if (!outcome.ok) throw new Error(`pricing failed inside a priced range: ${outcome.message}`);
  return outcome.micros - baseMicros;
}

/**
 * The most units, up to `wanted`, whose incremental price fits in `affordable`: a binary search,
 * sound because price never decreases with usage. At most 64 rating calls.
 */
function largestAffordable(
  price: UsagePrice,
  before: bigint,
  wanted: bigint,
  baseMicros: bigint,
  affordable: bigint,
): bigint {
  let low = 0n; // affordable
  let high = wanted; // not affordable
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (deltaPrice(price, before, mid, baseMicros) <= affordable) low = mid;
    else high = mid;
  }
  return low;
}

function shortfall(neededMicros: bigint, affordable: bigint, currency: string): GrantOutcome {
  return {
    ok: false,
    code: 'insufficient_balance',
    message: `needs ${neededMicros} micro-${currency}; the balance can pay ${affordable}`,
  };
}
