import { useQuery } from '@tanstack/react-query';
import { type Page as ApiPage, api, query } from '../api/client.js';
import type { Subscription } from '../api/types.js';
import { keys } from './query-keys.js';

/** An account's lines (an account has far fewer than a page of 200). */
export function useLines(accountId: string) {
  return useQuery({
    queryKey: keys.lines(accountId),
    queryFn: ({ signal }) =>
      api<ApiPage<Subscription>>(`/v1/subscriptions${query({ accountId, limit: 200 })}`, { signal }),
  });
}
