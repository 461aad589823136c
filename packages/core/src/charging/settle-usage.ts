import {
  availableIn,
  type BucketHold,
  type BucketState,
  moneyBucketsFor,
  sumHolds,
  takeFrom,
  type UsageScope,
} from './balance-bucket.js';
import { priceOf, type UsagePrice } from './usage-price.js';

export interface SettleRequest {
  readonly scope: UsageScope;
  /** Units used since the last report. */
  readonly usedUnits: bigint;
  /** The allowance and money holds of this usage's current grant, already released. */
  readonly allowanceHolds: readonly BucketHold[];
  readonly moneyHolds: readonly BucketHold[];
  readonly moneyUnitsBefore: bigint;
  /** What the line may still spend under its cap (after releasing the holds); null: no cap. */
  readonly capRemainingMicros: bigint | null;
  readonly price: UsagePrice;
}

export interface Settlement {
  /** Allowance units spent, bucket by bucket. */
  readonly allowanceTaken: readonly BucketHold[];
  readonly allowanceUnits: bigint;
  /** Units priced in money by this settlement. */
  readonly moneyUnits: bigint;
  readonly moneyTaken: readonly BucketHold[];
  readonly chargedMicros: bigint;
  /**
   * Money the usage cost beyond what its holds and the buckets could pay: usage the network
   * reported past its grant. Never taken below a floor; kept on the session for the operator.
   */
  readonly unpaidMicros: bigint;
}

export type SettleOutcome =
  | { readonly ok: true; readonly settlement: Settlement }
  | { readonly ok: false; readonly code: 'rating_failed'; readonly message: string };

/**
 * Charges used units against a grant whose holds the caller has just released: allowance units
 * from the held allowance buckets first (even if the allowance has since lapsed: it was held
 * while valid), then money for the rest, priced after the units priced before. Money comes from
 * the held buckets up to what each held, then, for usage past the grant, from whatever the
 * account can still pay. Pure: reads the buckets, changes nothing.
 */
export function settleUsage(buckets: readonly BucketState[], request: SettleRequest): SettleOutcome {
  const { usedUnits, scope } = request;
  if (usedUnits < 0n) throw new Error(`settleUsage needs a non-negative usage, got ${usedUnits}`);
  const byId = new Map(buckets.map((b) => [b.id, b]));
  const allowanceTaken = takeHeld(byId, request.allowanceHolds, usedUnits);
  const allowanceUnits = sumHolds(allowanceTaken);
  const moneyUnits = usedUnits - allowanceUnits;
  const before = priceOf(request.price, request.moneyUnitsBefore);
  const after = priceOf(request.price, request.moneyUnitsBefore + moneyUnits);
  if (!before.ok) return before;
  if (!after.ok) return after;
  const due = after.micros - before.micros;
  const cap = request.capRemainingMicros;
  const payable = cap !== null && cap < due ? (cap > 0n ? cap : 0n) : due;
  const fromHolds = takeHeld(byId, request.moneyHolds, payable);
  const heldTotal = sumHolds(fromHolds);
  const beyond = takeFrom(
    moneyBucketsFor(buckets, scope).map((b) => lessHeld(b, fromHolds)),
    payable - heldTotal,
  );
  const moneyTaken = mergeHolds(fromHolds, beyond.holds);
  const chargedMicros = sumHolds(moneyTaken);
  return {
    ok: true,
    settlement: {
      allowanceTaken,
      allowanceUnits,
      moneyUnits,
      moneyTaken,
      chargedMicros,
      unpaidMicros: due - chargedMicros,
    },
  };
}

/** Takes up to `wanted` from the held buckets, at most what each held and can still pay. */
function takeHeld(
  byId: ReadonlyMap<string, BucketState>,
  holds: readonly BucketHold[],
  wanted: bigint,
): BucketHold[] {
  const taken: BucketHold[] = [];
  let remaining = wanted;
  for (const hold of holds) {
    if (remaining === 0n) break;
    const bucket = byId.get(hold.bucketId);
    if (bucket === undefined) continue;
    const canPay = availableIn(bucket);
    let amount = hold.amount < remaining ? hold.amount : remaining;
    if (canPay < amount) amount = canPay;
    if (amount === 0n) continue;
    taken.push({ bucketId: hold.bucketId, amount });
    remaining -= amount;
  }
  return taken;
}

/** A view of the bucket with what was already taken from it counted as reserved. */
function lessHeld(bucket: BucketState, taken: readonly BucketHold[]): BucketState {
  const already = taken.find((t) => t.bucketId === bucket.id);
  return already === undefined ? bucket : { ...bucket, reserved: bucket.reserved + already.amount };
}

function mergeHolds(first: readonly BucketHold[], second: readonly BucketHold[]): BucketHold[] {
  const merged = new Map<string, bigint>();
  for (const hold of [...first, ...second])
    merged.set(hold.bucketId, (merged.get(hold.bucketId) ?? 0n) + hold.amount);
  return [...merged].map(([bucketId, amount]) => ({ bucketId, amount }));
}
