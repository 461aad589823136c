import { roundMoneyToMinorUnit } from '../money/money.js';
import { divideRounded } from '../money/rounding-mode.js';

/** A plan the line's usage was re-priced under, with its total over the compared cycles. */
export interface PlanOptionTotal {
  readonly planId: string;
  readonly code: string;
  /** The line's own plan. */
  readonly current: boolean;
  readonly totalMicros: bigint;
}

export interface RankedPlanOption<T extends PlanOptionTotal> {
  readonly option: T;
  /** 1 = cheapest. */
  readonly rank: number;
  /** The total over the cycles divided by their number, rounded half away from zero to the minor unit. */
  readonly averagePerCycleMicros: bigint;
  /** The current plan's average less this one's: positive when this plan is cheaper; 0 for the current plan. */
  readonly savingPerCycleMicros: bigint;
}

/**
 * Ranks the re-priced plans by what the customer would have paid over the same cycles: the lower
 * total first; at an equal total the current plan first (moving gains nothing), then by plan code.
 * The average per cycle is the one figure not on any bill: it is rounded to the currency's minor
 * unit half away from zero, as invoice lines are (DESIGN.md section 3), and the saving is the
 * difference of the rounded averages, so the figures shown add up.
 */
export function rankPlanOptions<T extends PlanOptionTotal>(
  options: readonly T[],
  cycles: number,
  currency: string,
): RankedPlanOption<T>[] {
  if (!Number.isSafeInteger(cycles) || cycles < 1)
    throw new RangeError(`rankPlanOptions needs cycles >= 1, got ${cycles}`);
  const average = (total: bigint) =>
    roundMoneyToMinorUnit(
      { amountMicros: divideRounded(total, BigInt(cycles), 'half-up'), currency },
      'half-up',
    ).amountMicros;
  const current = options.find((option) => option.current);
  const currentAverage = current === undefined ? null : average(current.totalMicros);
  return [...options].sort(compareOptions).map((option, index) => {
    const averagePerCycleMicros = average(option.totalMicros);
    return {
      option,
      rank: index + 1,
      averagePerCycleMicros,
      savingPerCycleMicros:
        currentAverage === null || option.current ? 0n : currentAverage - averagePerCycleMicros,
    };
  });
}

function compareOptions(a: PlanOptionTotal, b: PlanOptionTotal): number {
  if (a.totalMicros !== b.totalMicros) return a.totalMicros < b.totalMicros ? -1 : 1;
  if (a.current !== b.current) return a.current ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0;
}
