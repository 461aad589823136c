import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';

/** Spend split as the overview gives it: usage after allowances, recurring fees, and both. */
export interface CycleFigures {
  readonly usage: string;
  readonly recurring: string;
  readonly total: string;
}

/**
 * The account's current bill cycle so far (GET /v1/accounts/:id/cycle-overview,
 * packages/server/src/insights/cycle-overview-schemas.ts): its local days, what was spent and
 * the estimate for its end, the recurring fees per line, the allowances, the money position, and
 * the thresholds crossed since it started. Amounts are exact decimals in `currency`.
 */
export interface CycleOverview {
  readonly accountId: string;
  readonly currency: string;
  readonly timeZone: string;
  readonly cycle: {
    /** First and last local day, both included. */
    readonly start: string;
    readonly end: string;
    readonly daysElapsed: number;
    readonly daysTotal: number;
  };
  readonly spend: CycleFigures;
  readonly estimate: CycleFigures;
  readonly recurringFees: readonly {
    readonly subscriptionId: string;
    readonly line: string;
    readonly label: string;
    readonly amount: string;
  }[];
  readonly allowances: readonly CycleAllowance[];
  readonly balance: {
    readonly main: string;
    readonly availableToSpend: string | null;
    readonly creditLimit: string | null;
  };
  readonly alerts: readonly CycleAlert[];
}

export interface CycleAllowance {
  readonly bucketId: string;
  readonly subscriptionId: string | null;
  readonly line: string | null;
  /** The tariff category it pays for; null: any. */
  readonly service: string | null;
  /** seconds, messages, bytes, units or a currency code (then total/used/remaining are micro-units). */
  readonly unit: string;
  readonly label: string | null;
  readonly total: string;
  readonly used: string;
  readonly remaining: string;
  readonly validTo: string | null;
}

export interface CycleAlert {
  readonly id: string;
  readonly kind: string;
  /** A percentage, a factor, or an amount in micro-units, by kind. */
  readonly level: string;
  readonly subscriptionId: string | null;
  readonly firedAt: string;
}

export function useCycleOverview(accountId: string) {
  return useQuery({
    queryKey: ['account', accountId, 'cycle-overview'],
    queryFn: ({ signal }) => api<CycleOverview>(`/v1/accounts/${accountId}/cycle-overview`, { signal }),
  });
}
