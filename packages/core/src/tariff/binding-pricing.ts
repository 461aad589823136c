import type { CompiledBinding, CompiledRounding } from './compiled-tariff.js';

/**
 * A binding's prices packed into one Float64Array, for the rating fast path: one contiguous read
 * instead of a walk through rate, group and bigint objects scattered over the heap, which is what
 * a 200,000-prefix tariff spends its time on (cache misses, not arithmetic).
 *
 * Every value is an integer of at most 2^53, where double arithmetic is exact; rating checks
 * every product and sum against that bound and falls back to the bigint path the moment one
 * would exceed it. So no value here is ever rounded: this is integer arithmetic in doubles, not
 * floating point. Bindings with a maximum cost always take the bigint path.
 *
 * Record layout, from its offset: [dimension (0 time, 1 amount), connect fee numerator,
 * denominator, minimum charge numerator (-1: none), rounding (index into CompiledTariff.roundings),
 * group count, then per group: from, increment, multiplier].
 */
export const PRICING_DIMENSION = 0;
export const PRICING_CONNECT_FEE = 1;
export const PRICING_DENOMINATOR = 2;
export const PRICING_MINIMUM = 3;
export const PRICING_ROUNDING = 4;
export const PRICING_GROUP_COUNT = 5;
export const PRICING_HEADER = 6;
export const PRICING_GROUP_STRIDE = 3;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The packed prices of a binding set: one offset per binding (in set order) to its record in the
 * same array, or -1 when the binding takes the bigint path. Allocated beside the set it belongs
 * to, so the set, its bindings list and its prices are usually a cache line or two.
 */
export function packBindingPrices(
  bindings: readonly CompiledBinding[],
  roundingIndex: (rounding: CompiledRounding) => number,
  enabled: boolean,
): Float64Array {
  const records = bindings.map((b) => (enabled ? pricingRecord(b, roundingIndex(b.rounding)) : null));
  const size = bindings.length + records.reduce((sum, r) => sum + (r?.length ?? 0), 0);
  const packed = new Float64Array(size);
  let at = bindings.length;
  records.forEach((record, i) => {
    packed[i] = record === null ? -1 : at;
    if (record !== null) {
      packed.set(record, at);
      at += record.length;
    }
  });
  return packed;
}

function pricingRecord(binding: CompiledBinding, rounding: number): number[] | null {
  const rate = binding.rate;
  if (binding.maxCost !== null) return null;
  const exact = [rate.connectFeeNumerator, rate.denominator, ...rate.groups.map((g) => g.multiplier)];
  if (rate.minimumChargeNumerator !== null) exact.push(rate.minimumChargeNumerator);
  if (exact.some((value) => value < 0n || value > MAX_EXACT)) return null;
  const record = [
    rate.dimension === 'time' ? 0 : 1,
    Number(rate.connectFeeNumerator),
    Number(rate.denominator),
    rate.minimumChargeNumerator === null ? -1 : Number(rate.minimumChargeNumerator),
    rounding,
    rate.groups.length,
  ];
  for (const group of rate.groups)
    record.push(group.fromUnits, group.incrementUnits, Number(group.multiplier));
  return record;
}
