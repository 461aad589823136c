import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page, query } from '../api/client.js';
import type { Invoice } from './portal-api.js';

export const INVOICES_KEY = ['me', 'invoices'] as const;

/**
 * The customer's invoices of one account, newest first, a page at a time. GET /v1/me/invoices
 * lists those of all the signed-in customer's accounts (newest first, drafts left out); the
 * account in view is picked here, so a page may hold fewer than `pageSize` of its invoices.
 */
export function useMyInvoices(accountId: string, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: [...INVOICES_KEY, accountId, pageSize],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const page = await api<Page<Invoice>>(
        `/v1/me/invoices${query({ limit: pageSize, cursor: pageParam })}`,
        { signal },
      );
      return { ...page, items: page.items.filter((invoice) => invoice.accountId === accountId) };
    },
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
}
