import { useQuery } from '@tanstack/react-query';
import { type Page as ApiPage, api, query } from '../api/client.js';
import type { Plan } from './console-types.js';
import { keys } from './query-keys.js';

/** The largest page the API gives; a catalog has far fewer plans than this. */
const PLAN_PAGE_SIZE = 200;

/** Every plan with the version in effect now (names for lines, choices for a plan change). */
export function usePlans() {
  return useQuery({
    queryKey: [...keys.plans, 'all'],
    queryFn: ({ signal }) => api<ApiPage<Plan>>(`/v1/plans${query({ limit: PLAN_PAGE_SIZE })}`, { signal }),
    staleTime: 60_000,
  });
}
