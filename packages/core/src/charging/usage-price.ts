/**
 * The money price of a usage's first `units` units, in micro-units: the rating function applied
 * to the cumulative usage of one service in one session, so connect fees, minimum charges and
 * billing increments apply once per session however the usage is reported. Must be
 * non-decreasing in `units` (a longer usage never costs less) and 0 for 0 units.
 */
export type UsagePrice = (units: bigint) => PriceOutcome;

export type PriceOutcome =
  | { readonly ok: true; readonly micros: bigint }
  | { readonly ok: false; readonly code: 'rating_failed'; readonly message: string };

export function priceOf(price: UsagePrice, units: bigint): PriceOutcome {
  return units === 0n ? { ok: true, micros: 0n } : price(units);
}
