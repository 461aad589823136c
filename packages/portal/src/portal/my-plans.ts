import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';

/** A plan as the customer compares it: its fee in the account's currency and what it includes. */
export interface PlanOffer {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: 'base' | 'addon';
  readonly recurringFee: string;
  readonly currency: string;
  readonly feePeriod: string;
  /** Amounts as plans write them: "300m" of voice, "5GB" of data, "100" messages, "5.00" money. */
  readonly allowances: readonly { readonly service: string; readonly amount: string }[];
}

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
const text = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;

/**
 * A plan from GET /v1/me/plans, flat or with its current version nested (as /v1/plans gives
 * it); the fee in the account's currency when the version prices it there.
 */
export function readPlanOffer(raw: unknown, accountCurrency: string): PlanOffer | null {
  const plan = asObject(raw);
  const version = plan.current === undefined ? plan : asObject(plan.current);
  if (plan.current === null) return null;
  const prices = Array.isArray(version.prices) ? version.prices.map(asObject) : [];
  const local = prices.find((price) => text(price.currency) === accountCurrency);
  const kind = text(plan.kind);
  return {
    id: text(plan.id),
    code: text(plan.code),
    name: text(plan.name, text(plan.code)),
    kind: kind === 'addon' || kind === 'add-on' ? 'addon' : 'base',
    recurringFee: local === undefined ? text(version.recurringFee, '0') : text(local.recurringFee, '0'),
    currency: local === undefined ? text(version.currency, accountCurrency) : accountCurrency,
    feePeriod: text(version.feePeriod, 'month'),
    allowances: (Array.isArray(version.allowances) ? version.allowances : []).map((item) => {
      const allowance = asObject(item);
      return { service: text(allowance.service), amount: text(allowance.amount) };
    }),
  };
}

export function useMyPlans(accountCurrency: string) {
  return useQuery({
    queryKey: ['me', 'plans', accountCurrency],
    queryFn: async ({ signal }) => {
      const body = asObject(await api<unknown>('/v1/me/plans', { signal }));
      const items = Array.isArray(body.items) ? body.items : [];
      return items
        .map((item) => readPlanOffer(item, accountCurrency))
        .filter((plan): plan is PlanOffer => plan !== null);
    },
    retry: false,
  });
}
