import { useQuery } from '@tanstack/react-query';
import { api, query } from '../api/client.js';

/**
 * An account's usage over a period of local days, summed by the server
 * (GET /v1/accounts/:id/usage-summary, packages/server/src/insights/usage-summary-schemas.ts):
 * every day of the period, the 24 hours of the day, each service, and the top destinations.
 * Quantities are whole units of each service (seconds, messages, bytes, units) as decimal text;
 * amounts are exact decimals in `currency`, after allowances.
 */
interface ServiceQuantity {
  readonly service: string;
  readonly unit: string;
  readonly quantity: string;
}

interface ApiBucket {
  readonly records: number;
  readonly amount: string;
  readonly services: readonly ServiceQuantity[];
}

interface ApiUsageSummary {
  readonly currency: string;
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly total: { readonly records: number; readonly amount: string };
  readonly services: readonly {
    readonly service: string;
    readonly unit: string;
    readonly records: number;
    readonly quantity: string;
    readonly allowanceQuantity: string;
    readonly amount: string;
  }[];
  readonly days: readonly (ApiBucket & { readonly date: string })[];
  readonly hours: readonly (ApiBucket & { readonly hour: number })[];
  readonly topDestinations: readonly {
    readonly destinationId: string | null;
    readonly name: string | null;
    readonly records: number;
    readonly amount: string;
  }[];
}

/** The summary as the page draws it: each bucket's quantities by service name. */
export interface UsageSummary {
  readonly currency: string;
  readonly total: { readonly records: number; readonly amount: string };
  readonly days: readonly UsageBucket<string>[];
  readonly hours: readonly UsageBucket<number>[];
  readonly services: ApiUsageSummary['services'];
  readonly topDestinations: readonly DestinationTotal[];
}

export interface UsageBucket<K> {
  readonly key: K;
  readonly count: number;
  readonly amount: string;
  readonly quantities: Readonly<Record<string, string>>;
}

export interface DestinationTotal {
  /** The tariff's name of the destination, else its id; null for usage priced without one. */
  readonly destination: string | null;
  readonly count: number;
  readonly amount: string;
}

function bucketOf<K>(key: K, bucket: ApiBucket): UsageBucket<K> {
  return {
    key,
    count: bucket.records,
    amount: bucket.amount,
    quantities: Object.fromEntries(bucket.services.map((s) => [s.service, s.quantity])),
  };
}

export function readUsageSummary(summary: ApiUsageSummary): UsageSummary {
  return {
    currency: summary.currency,
    total: summary.total,
    days: summary.days.map((day) => bucketOf(day.date, day)),
    hours: summary.hours.map((hour) => bucketOf(hour.hour, hour)),
    services: summary.services,
    topDestinations: summary.topDestinations.map((d) => ({
      destination: d.name ?? d.destinationId,
      count: d.records,
      amount: d.amount,
    })),
  };
}

/** The summary of local days `from` to `to` (included), of one line or the whole account. */
export function useUsageSummary(
  accountId: string,
  range: { from: string; to: string; subscriptionId?: string },
) {
  return useQuery({
    queryKey: ['account', accountId, 'usage-summary', range.from, range.to, range.subscriptionId ?? null],
    queryFn: async ({ signal }) =>
      readUsageSummary(
        await api<ApiUsageSummary>(
          `/v1/accounts/${accountId}/usage-summary${query({
            from: range.from,
            to: range.to,
            subscriptionId: range.subscriptionId,
          })}`,
          { signal },
        ),
      ),
  });
}
