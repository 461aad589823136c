import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api } from '../api/client.js';
import type { Account, Subscription } from '../api/types.js';

/** What every portal screen knows: the customer's accounts and lines, and the account in view. */
export interface PortalState {
  readonly customerId: string;
  readonly accounts: readonly Account[];
  readonly lines: readonly Subscription[];
  /** The account the screens show; the header switches it when the customer has several. */
  readonly account: Account;
  selectAccount(accountId: string): void;
}

export const PortalContext = createContext<PortalState | null>(null);

export function usePortal(): PortalState {
  const state = useContext(PortalContext);
  if (state === null) throw new Error('usePortal outside the portal shell');
  return state;
}

/** The lines of the account in view. */
export function useAccountLines(): readonly Subscription[] {
  const { lines, account } = usePortal();
  return lines.filter((line) => line.accountId === account.id);
}

export function useMyAccounts() {
  return useQuery({
    queryKey: ['me', 'accounts'],
    queryFn: async () => {
      const [accounts, lines] = await Promise.all([
        api<{ items: Account[] }>('/v1/me/accounts'),
        api<{ items: Subscription[] }>('/v1/me/subscriptions'),
      ]);
      return { accounts: accounts.items, lines: lines.items };
    },
  });
}
