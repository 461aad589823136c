import {
  type CycleUnit,
  divideRounded,
  type FeeSegment,
  intersectSpans,
  parseDecimal,
  pow10,
  type ZoneClock,
} from '@tollgate/core';
import type { ExchangeRateUsed } from './invoice-document.js';
import type { PlanToBill, PlanVersionRow, TenantBilling } from './load-billing-chunk.js';
import type { PlanSpan } from './plan-spans.js';
import { shortestDecimal } from './reference/shortest-decimal.js';

export type PriceOutcome =
  | { readonly ok: true; readonly amountMicros: bigint; readonly rate: ExchangeRateUsed | null }
  | { readonly ok: false; readonly code: 'no_price'; readonly message: string };

/**
 * A plan's price in the account's currency: the version's own price when the currencies agree,
 * the price the version sets for that currency, or else the version's price converted at the
 * latest exchange rate dated on or before `onDay` (rounded half-up to the micro-unit; the rate
 * is printed on the invoice). No price and no rate: the account cannot be billed (parked).
 */
export function priceInCurrency(
  amountMicros: bigint,
  fromCurrency: string,
  override: string | undefined,
  currency: string,
  onDay: string,
  fxRates: TenantBilling['fxRates'],
  what: string,
): PriceOutcome {
  if (fromCurrency === currency) return { ok: true, amountMicros, rate: null };
  if (override !== undefined) return { ok: true, amountMicros: BigInt(override), rate: null };
  const rate = fxRates.find((r) => r.from === fromCurrency && r.to === currency && r.date <= onDay);
  if (rate === undefined)
    return {
      ok: false,
      code: 'no_price',
      message: `${what} has no price in ${currency} and no ${fromCurrency}->${currency} exchange rate dated on or before ${onDay}`,
    };
  const decimal = parseDecimal(rate.rate);
  if (!decimal.ok) throw new Error(`stored exchange rate ${rate.rate} is not a decimal`);
  const converted = divideRounded(
    amountMicros * decimal.value.coefficient,
    pow10(decimal.value.scale),
    'half-up',
  );
  return {
    ok: true,
    amountMicros: converted,
    rate: {
      from: fromCurrency,
      to: currency,
      rate: shortestDecimal(rate.rate),
      source: rate.source,
      date: rate.date,
    },
  };
}

/** The first local day a version's prices apply to: a version taking effect mid-day counts from the next day. */
export function firstDayOf(version: PlanVersionRow, clock: ZoneClock): number {
  const local = clock.localTime(version.effectiveFrom.getTime());
  return local.msOfDay === 0 ? local.dayNumber : local.dayNumber + 1;
}

export interface SegmentsOutcome {
  readonly segments: FeeSegment[];
  readonly rates: ExchangeRateUsed[];
  readonly failure: { readonly code: string; readonly message: string } | null;
}

/**
 * Cuts each plan span at the plan's version changes and prices each piece in the account's
 * currency: the fee segments recurring billing works on.
 */
export function feeSegmentsOf(
  spans: readonly PlanSpan[],
  plans: ReadonlyMap<string, PlanToBill>,
  clock: ZoneClock,
  currency: string,
  onDay: string,
  fxRates: TenantBilling['fxRates'],
): SegmentsOutcome {
  const segments: FeeSegment[] = [];
  const rates: ExchangeRateUsed[] = [];
  for (const span of spans) {
    const plan = plans.get(span.planId);
    if (plan === undefined)
      return failed(segments, rates, 'unknown_plan', `plan ${span.planId} is not in the catalog`);
    const versions = plan.versions;
    for (let index = 0; index < versions.length; index++) {
      const version = versions[index]!;
      const next = versions[index + 1];
      // The first version prices every earlier day too: there is no older price to use.
      const from = index === 0 ? Number.MIN_SAFE_INTEGER : firstDayOf(version, clock);
      const to = next === undefined ? Number.MAX_SAFE_INTEGER : firstDayOf(next, clock);
      const piece = intersectSpans(span.span, { fromDay: from, toDay: Math.max(from, to) });
      if (piece === null) continue;
      const price = priceInCurrency(
        version.recurringFeeMicros,
        version.currency,
        version.prices[currency]?.recurringFeeMicros,
        currency,
        onDay,
        fxRates,
        `plan ${plan.name} (version from ${version.effectiveFrom.toISOString()})`,
      );
      if (!price.ok) return failed(segments, rates, price.code, price.message);
      if (price.rate !== null) rates.push(price.rate);
      segments.push({
        subscriptionId: span.subscriptionId,
        planId: plan.id,
        planVersionId: version.id,
        label: plan.name,
        feeMicros: price.amountMicros,
        feeUnit: version.feePeriod as CycleUnit,
        span: piece,
      });
    }
  }
  return { segments, rates, failure: null };
}

function failed(
  segments: FeeSegment[],
  rates: ExchangeRateUsed[],
  code: string,
  message: string,
): SegmentsOutcome {
  return { segments, rates, failure: { code, message } };
}
