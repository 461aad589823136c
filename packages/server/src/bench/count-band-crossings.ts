import { type CompiledTariff, type RatingRequest, rateUsage } from '@tollgate/core';

/**
 * How many calls are priced by more than one binding, i.e. cross a time band boundary: evidence
 * that the generated answer times exercise the band walk and not only single-band calls.
 */
export function countBandCrossings(tariff: CompiledTariff, requests: readonly RatingRequest[]): number {
  let crossings = 0;
  for (const request of requests) {
    const result = rateUsage(tariff, request);
    if (!result.ok) continue;
    const first = result.value.spans[0]?.binding;
    if (result.value.spans.some((span) => span.binding !== first)) crossings++;
  }
  return crossings;
}
