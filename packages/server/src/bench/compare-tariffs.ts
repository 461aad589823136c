import {
  type CompiledTariff,
  formatScaled,
  MICROS_SCALE,
  type RatingRequest,
  rateUsage,
} from '@tollgate/core';

export interface TariffComparison {
  readonly compared: number;
  readonly mismatches: number;
  /** The first call priced differently, for the report; null when all agree. */
  readonly firstMismatch: string | null;
}

/**
 * Rates the same calls with two tariffs and counts the calls they price differently (another cost
 * or another error code). The bench writes one deck in two formats, so any difference is a bug in
 * a loader or in the bench's writers.
 */
export function compareTariffs(
  left: CompiledTariff,
  right: CompiledTariff,
  requests: readonly RatingRequest[],
): TariffComparison {
  let mismatches = 0;
  let firstMismatch: string | null = null;
  for (const request of requests) {
    const a = outcome(rateUsage(left, request));
    const b = outcome(rateUsage(right, request));
    if (a === b) continue;
    mismatches++;
    firstMismatch ??= `${request.destination} at ${new Date(request.answerTimeMs).toISOString()}: ${a} vs ${b}`;
  }
  return { compared: requests.length, mismatches, firstMismatch };
}

function outcome(result: ReturnType<typeof rateUsage>): string {
  return result.ok ? formatScaled(result.value.cost.amountMicros, MICROS_SCALE) : result.error.code;
}
