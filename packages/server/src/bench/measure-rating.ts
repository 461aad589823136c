import { type CompiledTariff, type RatingRequest, rateUsage } from '@tollgate/core';
import { RatingTally } from './rating-tally.js';
import type { SampleMemory } from './run-phase.js';

export interface RatingRun {
  readonly tally: RatingTally;
  readonly elapsedMs: number;
}

/** Enough calls, rated a few times over, for V8 to optimise the rating path before the clock starts. */
export const WARM_UP_REQUESTS = 50_000;
export const WARM_UP_ROUNDS = 3;
/** Memory is sampled between slices: often enough to see the peak, too rarely to cost anything. */
const SLICE_REQUESTS = 65_536;

/**
 * Rates prepared requests in memory, on one core: only rateUsage and the tally are timed, after a
 * warm-up on the first requests.
 */
export function measureRating(
  tariff: CompiledTariff,
  requests: readonly RatingRequest[],
  sample: SampleMemory,
): RatingRun {
  const warmUp = new RatingTally();
  const warmUpEnd = Math.min(requests.length, WARM_UP_REQUESTS);
  for (let round = 0; round < WARM_UP_ROUNDS; round++) rateSlice(tariff, requests, 0, warmUpEnd, warmUp);
  const tally = new RatingTally();
  const startedMs = performance.now();
  for (let from = 0; from < requests.length; from += SLICE_REQUESTS) {
    rateSlice(tariff, requests, from, Math.min(requests.length, from + SLICE_REQUESTS), tally);
    sample();
  }
  return { tally, elapsedMs: performance.now() - startedMs };
}

function rateSlice(
  tariff: CompiledTariff,
  requests: readonly RatingRequest[],
  from: number,
  to: number,
  tally: RatingTally,
): void {
  for (let i = from; i < to; i++) tally.add(rateUsage(tariff, requests[i]!));
}
