import { formatDecimal, formatScaled } from '../money/decimal.js';
import { formatFraction } from '../money/rational.js';
import type { UsageDimension } from '../tariff/compiled-tariff.js';
import { quantityBaseUnits } from '../units/quantity.js';
import { type RatedCharge, type RatedSpan, spanGroup } from './rating-types.js';

/**
 * The explanation of a charge in plain data, ready for JSON: what a customer or an auditor needs
 * to recompute the cost by hand. Quantities are shown in seconds for durations and in units
 * otherwise; money as exact decimal text.
 */
export interface RatingExplanation {
  readonly tenant: string;
  readonly category: string;
  readonly subject: string;
  readonly ratedSubject: string;
  readonly fallbackFrom: readonly string[];
  readonly profile: { readonly activationTime: string; readonly ratingPlan: string };
  readonly destination: {
    readonly number: string;
    readonly matchedPrefix: string;
    readonly destinationId: string;
  };
  readonly currency: string;
  readonly usage: string;
  readonly unit: 'seconds' | 'bytes' | 'units';
  readonly spans: readonly SpanExplanation[];
  readonly connectFee: string;
  readonly minimumCharge: string | null;
  readonly minimumChargeApplied: boolean;
  readonly maxCost: { readonly amount: string; readonly strategy: string; readonly reached: boolean } | null;
  /** The cost before rounding: exact decimal text, or a fraction when it has no finite decimal form. */
  readonly exactCost: string;
  readonly rounding: { readonly method: string; readonly decimals: number };
  readonly cost: string;
}

export interface SpanExplanation {
  readonly timeBand: string;
  readonly destinationId: string;
  readonly rate: string;
  readonly group: number;
  readonly startOffset: string;
  readonly used: string;
  readonly increment: string;
  readonly increments: number;
  readonly billed: string;
  readonly price: string;
  readonly per: string;
  readonly cost: string;
}

const UNIT_NAMES = { duration: 'seconds', volume: 'bytes', count: 'units' } as const;

export function explainRating(charge: RatedCharge): RatingExplanation {
  const start = charge.spans[0]?.binding;
  const rate = start?.rate;
  const { request } = charge;
  const show = (units: number) => showUnits(units, charge.dimension);
  return {
    tenant: request.tenant,
    category: request.category,
    subject: request.subject,
    ratedSubject: charge.ratedSubject,
    fallbackFrom: charge.fallbackPath,
    profile: {
      activationTime: new Date(charge.activation.activationMs).toISOString(),
      ratingPlan: charge.activation.plan.id,
    },
    destination: {
      number: request.destination,
      matchedPrefix: charge.matchedPrefix,
      destinationId: start?.destinationId ?? '',
    },
    currency: charge.cost.currency,
    usage: show(quantityBaseUnits(request.usage)),
    unit: UNIT_NAMES[request.usage.kind],
    spans: charge.spans.map((span) => explainSpan(span, show)),
    connectFee: charge.connectFeeApplied && rate !== undefined ? formatDecimal(rate.connectFee) : '0',
    minimumCharge: rate?.minimumCharge ? formatDecimal(rate.minimumCharge) : null,
    minimumChargeApplied: charge.minimumChargeApplied,
    maxCost:
      charge.maxCost === null || start?.maxCost == null
        ? null
        : {
            amount: formatDecimal(start.maxCost.amount),
            strategy: charge.maxCost.strategy,
            reached: charge.maxCost.reached,
          },
    exactCost: formatFraction(charge.exactNumerator, charge.exactDenominator),
    rounding: charge.rounding,
    cost: formatScaled(charge.cost.amountMicros, 6),
  };
}

function explainSpan(span: RatedSpan, show: (units: number) => string): SpanExplanation {
  const group = spanGroup(span);
  return {
    timeBand: span.binding.band?.id ?? '*any',
    destinationId: span.binding.destinationId,
    rate: span.binding.rate.id,
    group: group.index,
    startOffset: show(span.startUnits),
    used: show(span.usedUnits),
    increment: show(group.incrementUnits),
    increments: span.increments,
    billed: show(span.billedUnits),
    price: formatDecimal(group.price),
    per: show(group.perUnits),
    cost: formatFraction(span.costNumerator, span.binding.rate.denominator),
  };
}

function showUnits(units: number, dimension: UsageDimension): string {
  return dimension === 'time' ? formatScaled(BigInt(units), 3) : String(units);
}
