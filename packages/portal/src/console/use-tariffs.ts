import { useQuery } from '@tanstack/react-query';
import { type Page as ApiPage, api, query } from '../api/client.js';
import type { Tariff } from './console-types.js';
import { keys } from './query-keys.js';

/** Every tariff (a page of 200 holds a catalog's), for choosing a plan's tariff and naming it. */
export function useAllTariffs() {
  return useQuery({
    queryKey: [...keys.tariffs, 'all'],
    queryFn: ({ signal }) => api<ApiPage<Tariff>>(`/v1/tariffs${query({ limit: 200 })}`, { signal }),
    staleTime: 60_000,
  });
}
