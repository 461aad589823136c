import type { Money } from '../money/money.js';
import type { Problem } from '../result.js';
import type {
  CompiledActivation,
  CompiledBinding,
  CompiledRateGroup,
  CompiledRounding,
  UsageDimension,
} from '../tariff/compiled-tariff.js';
import type { Quantity } from '../units/quantity.js';

export interface RatingRequest {
  readonly tenant: string;
  readonly category: string;
  readonly subject: string;
  /** The number or name as the network gave it; rating matches this string (see normaliseE164). */
  readonly destination: string;
  /** When the usage started (the answer time of a call), UTC epoch milliseconds. */
  readonly answerTimeMs: number;
  readonly usage: Quantity;
}

/** A stretch of usage priced by one binding and one rate group. */
export interface RatedSpan {
  /** Where the span starts, in base units (ms or units) from the start of the usage. */
  readonly startUnits: number;
  /** Usage that fell in this span. */
  readonly usedUnits: number;
  /** Whole increments billed; billedUnits = increments × group.incrementUnits ≥ usedUnits. */
  readonly increments: number;
  readonly billedUnits: number;
  readonly binding: CompiledBinding;
  /** The rate group: binding.rate.groups[groupIndex] (see spanGroup). */
  readonly groupIndex: number;
  /** Exact cost of the span: costNumerator / binding.rate.denominator. */
  readonly costNumerator: bigint;
}

/** The rate group that priced a span. */
export function spanGroup(span: RatedSpan): CompiledRateGroup {
  return span.binding.rate.groups[span.groupIndex]!;
}

export interface MaxCostOutcome {
  readonly strategy: 'free' | 'disconnect';
  /** True when the exact cost exceeded the maximum (capped for `free`, flagged for `disconnect`). */
  readonly reached: boolean;
}

export interface RatedCharge {
  readonly request: RatingRequest;
  readonly dimension: UsageDimension;
  /** The subject whose profile priced the usage (differs from request.subject after fallback). */
  readonly ratedSubject: string;
  /** Subjects tried before ratedSubject, in order. */
  readonly fallbackPath: readonly string[];
  readonly activation: CompiledActivation;
  /** Normalised prefix that matched, or `*any`. */
  readonly matchedPrefix: string;
  readonly spans: readonly RatedSpan[];
  readonly connectFeeApplied: boolean;
  readonly minimumChargeApplied: boolean;
  readonly maxCost: MaxCostOutcome | null;
  /** The exact cost before rounding, as a fraction. */
  readonly exactNumerator: bigint;
  readonly exactDenominator: bigint;
  readonly rounding: CompiledRounding;
  /** The cost, rounded once by `rounding`, in micro-units of the tariff currency. */
  readonly cost: Money;
}

export type RatingErrorCode =
  | 'no_rating_profile'
  | 'no_rate_for_destination'
  | 'no_rate_for_time'
  | 'invalid_usage'
  | 'usage_unit_mismatch'
  | 'usage_too_complex';

export interface RatingProblem extends Problem {
  readonly code: RatingErrorCode;
}
