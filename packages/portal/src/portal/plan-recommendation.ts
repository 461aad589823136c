import { useQuery } from '@tanstack/react-query';
import { api, query } from '../api/client.js';
import {
  bestSaving,
  type PlanRecommendations,
  type RecommendationOption,
  type Subscription,
} from '../api/types.js';

/** How many complete bill cycles the portal compares: enough to even out one unusual month. */
export const RECOMMENDATION_CYCLES = 3;

const DAY_MS = 86_400_000;

export interface LineRecommendation {
  readonly data: PlanRecommendations;
  readonly best: RecommendationOption;
  /** The line's plan as priced over the same cycles, for the evidence beside the better one. */
  readonly current: RecommendationOption | undefined;
  /** Whether every compared cycle is a calendar month long, so the saving reads "per month". */
  readonly monthly: boolean;
}

function isMonthLong(cycle: { from: string; to: string }): boolean {
  const days = (Date.parse(cycle.to) - Date.parse(cycle.from)) / DAY_MS;
  return days >= 27 && days <= 31;
}

/** Whether the answer has the shape the card reads, so a half-built answer never breaks the page. */
function readable(data: PlanRecommendations): boolean {
  return (
    Array.isArray(data.cycles) &&
    data.cycles.length > 0 &&
    Array.isArray(data.options) &&
    data.options.every((option) => Array.isArray(option.cycles)) &&
    typeof data.currency === 'string'
  );
}

/**
 * The plan a line would have paid least on over its last complete cycles, when that is not its
 * own plan; null otherwise, and null when the API answers a problem (no complete cycle yet, or
 * not available): the offer is a bonus, its absence never an error on the page.
 */
export function useLineRecommendation(line: Subscription | undefined): LineRecommendation | null {
  const enabled = line !== undefined && line.status === 'active' && line.planId !== null;
  const recommendations = useQuery({
    enabled,
    queryKey: ['plan-recommendations', line?.id ?? '', RECOMMENDATION_CYCLES],
    queryFn: ({ signal }) =>
      api<PlanRecommendations>(
        `/v1/subscriptions/${line?.id ?? ''}/plan-recommendations${query({ cycles: RECOMMENDATION_CYCLES })}`,
        { signal },
      ),
    retry: false,
    staleTime: 10 * 60_000,
  });
  const data = recommendations.data;
  if (!enabled || data === undefined || !readable(data)) return null;
  const best = bestSaving(data);
  if (best === undefined) return null;
  return {
    data,
    best,
    current: data.options.find((option) => option.current),
    monthly: data.cycles.every(isMonthLong),
  };
}
