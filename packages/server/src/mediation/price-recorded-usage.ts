import {
  type CompiledTariff,
  type Quantity,
  type RatedCharge,
  rateUsage,
  spanGroup,
  type UsagePrice,
} from '@tollgate/core';
import type { LineAtTime } from './line-directory.js';
import type { UsageUnit } from './usage-record.js';

/** The largest usage the rating function takes as a JavaScript number (milliseconds for time). */
const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER) / 1000n;

export interface RecordedUsagePricing {
  /** The money price of the record's first n units (the settlement prices the part not in allowances). */
  readonly price: UsagePrice;
  /** The rating of all the record's units, for its explanation; set once `price` priced them. */
  readonly ratedWhole: () => RatedCharge | undefined;
}

export interface PricedUsage {
  readonly service: string;
  readonly unit: UsageUnit;
  readonly units: bigint;
  readonly destination: string;
  readonly startedAtMs: number;
}

/**
 * Prices a recorded usage with the pure rating function, as online charging prices a session: the
 * line's rating tenant and subject, the tariff version in effect at the usage's start, the usage
 * from zero. Remembers the ratings it made, since settling prices the same counts more than once.
 */
export function priceRecordedUsage(
  tariff: CompiledTariff,
  line: LineAtTime,
  usage: PricedUsage,
): RecordedUsagePricing {
  // Settling prices at most two counts (every unit, and the part no allowance covered), and a
  // batch prepares thousands of these: two slots, not a map per record.
  let whole: RatedCharge | string | undefined;
  let partUnits = -1n;
  let part: RatedCharge | string | undefined;
  const rate = (units: bigint): RatedCharge | string => {
    if (units === usage.units) {
      whole ??= rateOnce(tariff, line, usage, units);
      return whole;
    }
    if (units !== partUnits || part === undefined) {
      part = rateOnce(tariff, line, usage, units);
      partUnits = units;
    }
    return part;
  };
  return {
    price: (units) => {
      const rated = rate(units);
      if (typeof rated === 'string') return { ok: false, code: 'rating_failed', message: rated };
      if (rated.cost.currency !== line.currency)
        return {
          ok: false,
          code: 'rating_failed',
          message: `currency: the tariff prices in ${rated.cost.currency}; the account is in ${line.currency}`,
        };
      return { ok: true, micros: rated.cost.amountMicros };
    },
    ratedWhole: () => (typeof whole === 'object' ? whole : undefined),
  };
}

function rateOnce(
  tariff: CompiledTariff,
  line: LineAtTime,
  usage: PricedUsage,
  units: bigint,
): RatedCharge | string {
  if (units > MAX_SAFE_UNITS) return `${units} ${usage.unit} is more than can be rated`;
  const rated = rateUsage(tariff, {
    tenant: line.ratingTenant,
    category: usage.service,
    subject: line.subject,
    destination: usage.destination,
    answerTimeMs: usage.startedAtMs,
    usage: quantityOf(usage.unit, Number(units)),
  });
  return rated.ok ? rated.value : `${rated.error.code}: ${rated.error.message}`;
}

export function quantityOf(unit: UsageUnit, units: number): Quantity {
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

/** What a stored rated record keeps of its rating: enough to find the rate; the rest is recomputed. */
export interface StoredExplanation {
  /** The rating request's tenant and subject: with the record and its tariff version, the rating can be rerun. */
  readonly ratingTenant: string;
  readonly subject: string;
  readonly ratedSubject: string;
  readonly matchedPrefix: string;
  readonly destinationId: string;
  /** Per span: the time band, the rate and the units billed. */
  readonly spans: readonly {
    readonly band: string;
    readonly rate: string;
    readonly group: number;
    readonly billed: number;
  }[];
  /** Allowance units taken, bucket by bucket (decimal text). */
  readonly allowances: readonly { readonly bucketId: string; readonly units: string }[];
}

export function storedExplanation(
  rated: RatedCharge | undefined,
  allowances: readonly { readonly bucketId: string; readonly amount: bigint }[],
): StoredExplanation {
  return {
    ratingTenant: rated?.request.tenant ?? '',
    subject: rated?.request.subject ?? '',
    ratedSubject: rated?.ratedSubject ?? '',
    matchedPrefix: rated?.matchedPrefix ?? '',
    destinationId: rated?.spans[0]?.binding.destinationId ?? '',
    spans: (rated?.spans ?? []).map((span) => ({
      band: span.binding.band?.id ?? '*any',
      rate: span.binding.rate.id,
      billed: span.billedUnits,
      group: spanGroup(span).index,
    })),
    allowances: allowances.map((hold) => ({ bucketId: hold.bucketId, units: hold.amount.toString() })),
  };
}
