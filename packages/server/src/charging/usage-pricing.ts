import { type CompiledTariff, type Quantity, rateUsage, type UsagePrice } from '@tollgate/core';
import type { ServiceUnitKind } from './credit-control.js';
import type { SessionRating } from './session-state.js';

/** The largest usage the rating function takes as a JavaScript number. */
const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER) / 1000n;

/**
 * Prices a session's usage of one service: the pure rating function applied to the cumulative
 * units from the session's start, with the tariff version, rating tenant and subject fixed when
 * the session began. Results are remembered per call site, since granting searches the same
 * counts more than once.
 */
export function usagePrice(
  tariff: CompiledTariff,
  rating: SessionRating,
  service: { readonly category: string; readonly unit: ServiceUnitKind; readonly destination: string },
): UsagePrice {
  const remembered = new Map<bigint, ReturnType<UsagePrice>>();
  return (units) => {
    const known = remembered.get(units);
    if (known !== undefined) return known;
    const outcome = priceOnce(tariff, rating, service, units);
    remembered.set(units, outcome);
    return outcome;
  };
}

function priceOnce(
  tariff: CompiledTariff,
  rating: SessionRating,
  service: { readonly category: string; readonly unit: ServiceUnitKind; readonly destination: string },
  units: bigint,
): ReturnType<UsagePrice> {
  if (units > MAX_SAFE_UNITS)
    return {
      ok: false,
      code: 'rating_failed',
      message: `${units} ${service.unit} is more than can be rated`,
    };
  const rated = rateUsage(tariff, {
    tenant: rating.ratingTenant,
    category: service.category,
    subject: rating.subject,
    destination: service.destination,
    answerTimeMs: rating.startedAtMs,
    usage: quantityOf(service.unit, Number(units)),
  });
  if (!rated.ok) return { ok: false, code: 'rating_failed', message: rated.error.message };
  if (rated.value.cost.currency !== rating.currency) {
    return {
      ok: false,
      code: 'rating_failed',
      message: `the tariff prices in ${rated.value.cost.currency}; the account is in ${rating.currency}`,
    };
  }
  return { ok: true, micros: rated.value.cost.amountMicros };
}

function quantityOf(unit: ServiceUnitKind, units: number): Quantity {
  switch (unit) {
    case 'seconds':
      return { kind: 'duration', durationMs: units * 1000 };
    case 'bytes':
      return { kind: 'volume', volumeBytes: units };
    case 'messages':
    case 'units':
      return { kind: 'count', count: units };
  }
}
