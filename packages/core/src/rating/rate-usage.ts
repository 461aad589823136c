import { pow10 } from '../money/decimal.js';
import { divideRounded, divideRoundedExactly } from '../money/rounding-mode.js';
import { fail, ok, type Result } from '../result.js';
import {
  PRICING_CONNECT_FEE,
  PRICING_DENOMINATOR,
  PRICING_DIMENSION,
  PRICING_GROUP_COUNT,
  PRICING_GROUP_STRIDE,
  PRICING_HEADER,
  PRICING_MINIMUM,
  PRICING_ROUNDING,
} from '../tariff/binding-pricing.js';
import { ANY } from '../tariff/compile-tariff.js';
import type {
  BindingSet,
  CompiledActivation,
  CompiledBinding,
  CompiledMaxCost,
  CompiledRatingPlan,
  CompiledRounding,
  CompiledTariff,
  CompiledTimeBand,
  UsageDimension,
} from '../tariff/compiled-tariff.js';
import { quantityBaseUnits, quantityDimension } from '../units/quantity.js';
import type { RatedCharge, RatedSpan, RatingProblem, RatingRequest } from './rating-types.js';
import type { LocalTime } from './zone-clock.js';

/** Bounds the walk along one usage: a year-long session crossing four bands a day stays far below. */
const MAX_SPANS = 100_000;
/** Bounds the chain of fallback subjects (and breaks cycles such as A -> B -> A). */
const MAX_FALLBACK_DEPTH = 8;
const MICROS_DECIMALS = 6;
const NO_FALLBACK: readonly string[] = [];

type RatingResult = Result<RatedCharge, RatingProblem>;

/** Where a plan prices a destination: the binding set of the longest usable prefix, and its winner at the start. */
interface DestinationMatch {
  readonly set: BindingSet;
  readonly matchedPrefix: string;
  /** Position in set.bindings of the binding active at the usage start. */
  readonly startIndex: number;
}

/** Scratch space for prefix matches: rating is synchronous, so one array serves every call. */
const prefixMatches: number[] = [];
const groupMatches: number[] = [];

/**
 * Prices one usage exactly: the pure rating function that online charging, mediation, rerating
 * and simulations share. Same tariff and request, same result; no clock, no I/O.
 */
export function rateUsage(tariff: CompiledTariff, request: RatingRequest): RatingResult {
  const totalUnits = quantityBaseUnits(request.usage);
  if (!Number.isSafeInteger(totalUnits) || totalUnits < 0) {
    return problem('invalid_usage', `usage must be a whole, non-negative amount (got ${totalUnits})`);
  }
  if (!Number.isFinite(request.answerTimeMs)) {
    return problem('invalid_usage', 'the answer time is not a valid instant');
  }
  // The common case first, without the bookkeeping of a fallback search.
  const found = findActivation(tariff, request, request.subject);
  const match = found === null ? null : matchDestination(tariff, found.plan, request);
  if (found !== null && match !== null) {
    return priceUsage(tariff, request, totalUnits, found, NO_FALLBACK, match);
  }
  return rateWithFallback(tariff, request, totalUnits, found);
}

/** Tries the fallback subjects breadth first, each subject at most once. */
function rateWithFallback(
  tariff: CompiledTariff,
  request: RatingRequest,
  totalUnits: number,
  first: CompiledActivation | null,
): RatingResult {
  const tried = [request.subject];
  const unmatched: CompiledActivation[] = first === null ? [] : [first];
  const queue = first === null ? [] : [...first.fallbackSubjects];
  for (let depth = 1; depth < MAX_FALLBACK_DEPTH && queue.length > 0; depth++) {
    const subject = queue.shift()!;
    if (tried.includes(subject)) continue;
    tried.push(subject);
    const found = findActivation(tariff, request, subject);
    if (found === null) continue;
    const match = matchDestination(tariff, found.plan, request);
    if (match !== null) return priceUsage(tariff, request, totalUnits, found, tried.slice(0, -1), match);
    unmatched.push(found);
    queue.push(...found.fallbackSubjects);
  }
  const at = new Date(request.answerTimeMs).toISOString();
  if (unmatched.length === 0) {
    return problem(
      'no_rating_profile',
      `no rating profile for tenant "${request.tenant}", category "${request.category}", subject "${request.subject}" (nor "*any") active at ${at}`,
    );
  }
  const plans = unmatched.map((u) => `${u.plan.id} (subject ${u.subject})`).join(', ');
  return problem(
    'no_rate_for_destination',
    `no rate for destination "${request.destination}" at ${at} for tenant "${request.tenant}", category "${request.category}" in rating plans ${plans}`,
  );
}

function problem(code: RatingProblem['code'], message: string): RatingResult {
  return fail(code, message) as RatingResult;
}

/** The subject's own profile, else the category's `*any` profile: the newest activation not after the usage start. */
function findActivation(
  tariff: CompiledTariff,
  request: RatingRequest,
  subject: string,
): CompiledActivation | null {
  const subjects = tariff.profiles.get(request.tenant)?.get(request.category);
  if (subjects === undefined) return null;
  const own = activeAt(subjects.get(subject), request.answerTimeMs);
  if (own !== undefined) return own;
  return (subject === ANY ? undefined : activeAt(subjects.get(ANY), request.answerTimeMs)) ?? null;
}

/** Activations are sorted newest first: the first one not after `atMs` applies. */
function activeAt(
  activations: readonly CompiledActivation[] | undefined,
  atMs: number,
): CompiledActivation | undefined {
  if (activations === undefined) return undefined;
  for (const activation of activations) if (activation.activationMs <= atMs) return activation;
  return undefined;
}

/**
 * The binding set of the longest prefix of the destination that has a binding active at the usage
 * start (CGRateS semantics: a longer prefix without an active binding gives way to a shorter one),
 * else the plan's `*any` destination.
 */
function matchDestination(
  tariff: CompiledTariff,
  plan: CompiledRatingPlan,
  request: RatingRequest,
): DestinationMatch | null {
  const { destination, answerTimeMs } = request;
  if (destination.length > 0) {
    const count = tariff.trie.matches(destination, prefixMatches, groupMatches);
    const dense = plan.denseByGroup;
    for (let i = 0; i < count; i++) {
      const prefixId = prefixMatches[i]!;
      const group = groupMatches[i]!;
      const set = dense !== null ? dense[group] : plan.sparseByGroup!.get(group);
      if (set === undefined) continue;
      const startIndex = winnerAt(tariff, set, answerTimeMs);
      if (startIndex >= 0) return { set, matchedPrefix: tariff.trie.prefixOf(prefixId), startIndex };
    }
  }
  const any = plan.anyDestination;
  const startIndex = any === null ? -1 : winnerAt(tariff, any, answerTimeMs);
  return any !== null && startIndex >= 0 ? { set: any, matchedPrefix: ANY, startIndex } : null;
}

function winnerAt(tariff: CompiledTariff, set: BindingSet, atMs: number): number {
  return set.always >= 0 ? set.always : bestBinding(set, tariff.clock.localTime(atMs));
}

/** The position of the first binding in ranking order whose band is active (see BandSchedule), or -1. */
function bestBinding(set: BindingSet, local: LocalTime): number {
  const { order, bands } = set.schedule;
  for (let k = 0; k < order.length; k++) {
    const band = bands[k]!;
    if (band === null || bandActive(band, local)) return order[k]!;
  }
  return -1;
}

function bandActive(band: CompiledTimeBand, local: LocalTime): boolean {
  if (local.msOfDay < band.startMs || local.msOfDay >= band.endMs) return false;
  if (band.weekDayMask !== 0 && (band.weekDayMask & (1 << local.weekDay)) === 0) return false;
  if (band.monthDayMask !== 0 && (band.monthDayMask & (1 << local.monthDay)) === 0) return false;
  if (band.monthMask !== 0 && (band.monthMask & (1 << local.month)) === 0) return false;
  if (band.years !== null && !band.years.has(local.year)) return false;
  return band.holidayDays === null || band.holidayDays.has(local.dayNumber);
}

/** A span under construction; handed out as a RatedSpan once the walk is over. */
interface MutableSpan {
  startUnits: number;
  usedUnits: number;
  increments: number;
  billedUnits: number;
  binding: CompiledBinding;
  groupIndex: number;
  costNumerator: bigint;
}

/**
 * Walks the usage from its start: at each point the binding active at that instant and the rate
 * group active at that offset price a span that ends at the next group start, band boundary or
 * the end of the usage; the span is billed in whole increments, and the next span starts where
 * the billed increments end (an increment begun in a band is billed at that band's price).
 */
function priceUsage(
  tariff: CompiledTariff,
  request: RatingRequest,
  totalUnits: number,
  found: CompiledActivation,
  fallbackPath: readonly string[],
  match: DestinationMatch,
): RatingResult {
  const dimension = quantityDimension(request.usage);
  // Counts and volumes are events at one instant; only durations cross band boundaries.
  const banded = match.set.always < 0 && dimension === 'time';
  if (match.set.prices[match.startIndex]! >= 0) {
    const fast = priceWithinOneBinding(
      tariff,
      request,
      totalUnits,
      found,
      fallbackPath,
      match,
      dimension,
      banded,
    );
    if (fast !== null) return fast;
  }
  const spans: MutableSpan[] = [];
  let binding = match.set.bindings[match.startIndex]!;
  let offset = 0;
  while (offset < totalUnits) {
    if (spans.length >= MAX_SPANS)
      return problem('usage_too_complex', `usage splits into more than ${MAX_SPANS} spans`);
    let spanEnd = totalUnits;
    if (banded) {
      const instantMs = request.answerTimeMs + offset;
      const local = tariff.clock.localTime(instantMs);
      const active = offset === 0 ? match.startIndex : bestBinding(match.set, local);
      if (active < 0) {
        return problem(
          'no_rate_for_time',
          `no time band of destination ${match.matchedPrefix} in plan ${found.plan.id} covers ${new Date(instantMs).toISOString()}`,
        );
      }
      binding = match.set.bindings[active]!;
      spanEnd = Math.min(spanEnd, offset + (nextBoundaryMs(tariff, local, instantMs) - instantMs));
    }
    const rate = binding.rate;
    if (rate.dimension !== dimension) return unitMismatch(rate.id, rate.dimension, dimension);
    const groups = rate.groups;
    let g = groups.length - 1;
    while (g > 0 && groups[g]!.fromUnits > offset) g--;
    const group = groups[g]!;
    const nextGroup = groups[g + 1];
    if (nextGroup !== undefined && nextGroup.fromUnits < spanEnd) spanEnd = nextGroup.fromUnits;
    const increments = Math.ceil((spanEnd - offset) / group.incrementUnits);
    const billedUnits = increments * group.incrementUnits;
    // The billed increments cover usage beyond spanEnd when they cross a boundary.
    const usedUnits = Math.min(offset + billedUnits, totalUnits) - offset;
    const costNumerator = BigInt(billedUnits) * group.multiplier;
    const previous = spans[spans.length - 1];
    if (previous !== undefined && previous.binding === binding && previous.groupIndex === g) {
      previous.usedUnits += usedUnits;
      previous.increments += increments;
      previous.billedUnits += billedUnits;
      previous.costNumerator += costNumerator;
    } else {
      spans.push({
        startUnits: offset,
        usedUnits,
        increments,
        billedUnits,
        binding,
        groupIndex: g,
        costNumerator,
      });
    }
    offset += billedUnits;
  }
  return ok(settle(tariff, request, dimension, found, fallbackPath, match, spans));
}

function unitMismatch(rateId: string, rateDimension: UsageDimension, usage: UsageDimension): RatingResult {
  const what = (d: UsageDimension) => (d === 'time' ? 'durations' : 'volumes or counts');
  return problem(
    'usage_unit_mismatch',
    `rate ${rateId} prices ${what(rateDimension)}, but the usage is one of ${what(usage)}`,
  );
}

/** The instant of the next band boundary (or local midnight) after `instantMs`. */
function nextBoundaryMs(tariff: CompiledTariff, local: LocalTime, instantMs: number): number {
  let next = -1;
  for (const ms of tariff.bandBoundariesMs) {
    if (ms > local.msOfDay) {
      next = ms;
      break;
    }
  }
  const day = next === -1 ? local.dayNumber + 1 : local.dayNumber;
  return Math.max(instantMs + 1, tariff.clock.instantOfLocal(instantMs, day, next === -1 ? 0 : next));
}

/** What settling needs: the exact sum, and the rules of the binding active at the start. */
interface ExactCost {
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly connectFee: boolean;
  /** The minimum charge over `denominator`, or null. */
  readonly minimum: bigint | null;
  readonly maxCost: CompiledMaxCost | null;
  readonly rounding: CompiledRounding;
}

/** Sums the spans and the connect fee exactly, then settles. */
function settle(
  tariff: CompiledTariff,
  request: RatingRequest,
  dimension: UsageDimension,
  found: CompiledActivation,
  fallbackPath: readonly string[],
  match: DestinationMatch,
  spans: readonly RatedSpan[],
): RatedCharge {
  const start = spans[0]?.binding ?? match.set.bindings[match.startIndex]!;
  const rate = start.rate;
  let numerator = spans.length > 0 ? rate.connectFeeNumerator : 0n;
  let denominator = rate.denominator;
  for (const span of spans) {
    const spanDenominator = span.binding.rate.denominator;
    if (spanDenominator === denominator) {
      numerator += span.costNumerator;
    } else {
      numerator = numerator * spanDenominator + span.costNumerator * denominator;
      denominator *= spanDenominator;
    }
  }
  // The minimum is over the start rate's denominator; bring it to the sum's.
  const minimum =
    rate.minimumChargeNumerator === null
      ? null
      : (rate.minimumChargeNumerator * denominator) / rate.denominator;
  return finish(tariff, request, dimension, found, fallbackPath, match, spans, {
    numerator,
    denominator,
    connectFee: spans.length > 0 && rate.connectFee.coefficient !== 0n,
    minimum,
    maxCost: start.maxCost,
    rounding: start.rounding,
  });
}

/**
 * The fast path for the common case: the whole usage falls under the binding active at its start
 * (no band boundary inside it) and that binding's prices fit the packed layout. Sums are exact
 * integers in doubles, checked against 2^53 (see binding-pricing.ts); null means "take the
 * general path", which gives the same answer by way of bigints.
 */
function priceWithinOneBinding(
  tariff: CompiledTariff,
  request: RatingRequest,
  totalUnits: number,
  found: CompiledActivation,
  fallbackPath: readonly string[],
  match: DestinationMatch,
  dimension: UsageDimension,
  banded: boolean,
): RatingResult | null {
  const binding = match.set.bindings[match.startIndex]!;
  const pricing = match.set.prices;
  const record = pricing[match.startIndex]!;
  if (pricing[record + PRICING_DIMENSION] !== (dimension === 'time' ? 0 : 1)) return null;
  if (banded) {
    const local = tariff.clock.localTime(request.answerTimeMs);
    if (request.answerTimeMs + totalUnits > nextBoundaryMs(tariff, local, request.answerTimeMs)) return null;
  }
  const groupCount = pricing[record + PRICING_GROUP_COUNT]!;
  const spans: RatedSpan[] = [];
  let sum = totalUnits > 0 ? pricing[record + PRICING_CONNECT_FEE]! : 0;
  let offset = 0;
  let g = 0;
  while (offset < totalUnits) {
    while (g + 1 < groupCount && pricing[record + PRICING_HEADER + PRICING_GROUP_STRIDE * (g + 1)]! <= offset)
      g++;
    const at = record + PRICING_HEADER + PRICING_GROUP_STRIDE * g;
    const incrementUnits = pricing[at + 1]!;
    const spanEnd =
      g + 1 < groupCount ? Math.min(totalUnits, pricing[at + PRICING_GROUP_STRIDE]!) : totalUnits;
    const increments = Math.ceil((spanEnd - offset) / incrementUnits);
    const billedUnits = increments * incrementUnits;
    const cost = billedUnits * pricing[at + 2]!;
    if (cost > Number.MAX_SAFE_INTEGER || sum + cost > Number.MAX_SAFE_INTEGER) return null;
    sum += cost;
    const usedUnits = Math.min(offset + billedUnits, totalUnits) - offset;
    spans.push({
      startUnits: offset,
      usedUnits,
      increments,
      billedUnits,
      binding,
      groupIndex: g,
      costNumerator: BigInt(cost),
    });
    offset += billedUnits;
  }
  const denominator = pricing[record + PRICING_DENOMINATOR]!;
  const minimum = pricing[record + PRICING_MINIMUM]!;
  const rounding = tariff.roundings[pricing[record + PRICING_ROUNDING]!]!;
  const connectFee = totalUnits > 0 && pricing[record + PRICING_CONNECT_FEE] !== 0;
  const minimumChargeApplied = spans.length > 0 && minimum >= 0 && sum < minimum;
  const exact = minimumChargeApplied ? minimum : sum;
  const rounded = divideRoundedExactly(
    exact * POW10_NUMBERS[rounding.decimals]!,
    denominator,
    rounding.method,
  );
  const micros =
    rounded === null ? Number.NaN : rounded * POW10_NUMBERS[MICROS_DECIMALS - rounding.decimals]!;
  if (!Number.isSafeInteger(micros)) {
    return ok(
      finish(tariff, request, dimension, found, fallbackPath, match, spans, {
        numerator: BigInt(sum),
        denominator: BigInt(denominator),
        connectFee,
        minimum: minimum < 0 ? null : BigInt(minimum),
        maxCost: null,
        rounding,
      }),
    );
  }
  return ok({
    request,
    dimension,
    ratedSubject: found.subject,
    fallbackPath,
    activation: found,
    matchedPrefix: match.matchedPrefix,
    spans,
    connectFeeApplied: connectFee,
    minimumChargeApplied,
    maxCost: null,
    exactNumerator: BigInt(exact),
    exactDenominator: BigInt(denominator),
    rounding,
    cost: { amountMicros: BigInt(micros), currency: tariff.currency },
  });
}

/** 10^0 .. 10^6 as numbers, for the fast path's scaling (exact: all below 2^53). */
const POW10_NUMBERS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** Applies the minimum and maximum of the binding at the start to the exact cost, and rounds once. */
function finish(
  tariff: CompiledTariff,
  request: RatingRequest,
  dimension: UsageDimension,
  found: CompiledActivation,
  fallbackPath: readonly string[],
  match: DestinationMatch,
  spans: readonly RatedSpan[],
  exact: ExactCost,
): RatedCharge {
  let { numerator, denominator } = exact;
  const charged = spans.length > 0;
  const minimumChargeApplied = charged && exact.minimum !== null && numerator < exact.minimum;
  if (minimumChargeApplied) numerator = exact.minimum!;
  let maxCost: RatedCharge['maxCost'] = null;
  if (exact.maxCost !== null) {
    const cap = exact.maxCost.amount;
    const reached = numerator * pow10(cap.scale) > cap.coefficient * denominator;
    maxCost = { strategy: exact.maxCost.strategy, reached };
    if (reached && exact.maxCost.strategy === 'free') {
      numerator = cap.coefficient;
      denominator = pow10(cap.scale);
    }
  }
  const { method, decimals } = exact.rounding;
  const rounded = divideRounded(numerator * pow10(decimals), denominator, method);
  return {
    request,
    dimension,
    ratedSubject: found.subject,
    fallbackPath,
    activation: found,
    matchedPrefix: match.matchedPrefix,
    spans,
    connectFeeApplied: exact.connectFee,
    minimumChargeApplied,
    maxCost,
    exactNumerator: numerator,
    exactDenominator: denominator,
    rounding: exact.rounding,
    cost: { amountMicros: rounded * pow10(MICROS_DECIMALS - decimals), currency: tariff.currency },
  };
}
