import { pow10 } from '../money/decimal.js';
import { divideRounded } from '../money/rounding-mode.js';
import { fail, ok, type Result } from '../result.js';
import { ANY } from '../tariff/compile-tariff.js';
import type {
  CompiledActivation,
  CompiledBinding,
  CompiledRatingPlan,
  CompiledTariff,
  CompiledTimeBand,
} from '../tariff/compiled-tariff.js';
import { quantityBaseUnits, quantityDimension } from '../units/quantity.js';
import type { RatedCharge, RatedSpan, RatingProblem, RatingRequest } from './rating-types.js';
import type { LocalTime } from './zone-clock.js';

/** Bounds the walk along one usage: a year-long session crossing four bands a day stays far below. */
const MAX_SPANS = 100_000;
/** Bounds the chain of fallback subjects (and breaks cycles such as A -> B -> A). */
const MAX_FALLBACK_DEPTH = 8;
const MICROS_DECIMALS = 6;

type RatingResult = Result<RatedCharge, RatingProblem>;

interface Candidates {
  readonly bindings: readonly CompiledBinding[];
  readonly matchedPrefix: string;
}

/** Scratch space for prefix matches: rating is synchronous, so one array serves every call. */
const prefixMatches: number[] = [];

/**
 * Prices one usage exactly: the pure rating function that online charging, mediation, rerating
 * and simulations share. Same tariff and request, same result; no clock, no I/O.
 */
export function rateUsage(tariff: CompiledTariff, request: RatingRequest): RatingResult {
  const totalUnits = quantityBaseUnits(request.usage);
  if (!Number.isSafeInteger(totalUnits) || totalUnits < 0) {
    return problem('invalid_usage', `usage must be a whole, non-negative amount (got ${totalUnits})`);
  }
  if (!Number.isFinite(request.answerTimeMs))
    return problem('invalid_usage', 'the answer time is not a valid instant');

  const queue = [request.subject];
  const tried: string[] = [];
  const plansTried: { subject: string; activation: CompiledActivation }[] = [];
  for (let depth = 0; depth < MAX_FALLBACK_DEPTH && queue.length > 0; depth++) {
    const subject = queue.shift()!;
    if (tried.includes(subject)) continue;
    tried.push(subject);
    const found = findActivation(tariff, request, subject);
    if (found === null) continue;
    const candidates = findCandidates(
      tariff,
      found.activation.plan,
      request.destination,
      request.answerTimeMs,
    );
    if (candidates !== null) {
      const fallbackPath = tried.length === 1 ? NO_FALLBACK : tried.slice(0, -1);
      return priceUsage(
        tariff,
        request,
        totalUnits,
        found.subject,
        fallbackPath,
        found.activation,
        candidates,
      );
    }
    plansTried.push(found);
    queue.push(...found.activation.fallbackSubjects);
  }
  const at = new Date(request.answerTimeMs).toISOString();
  if (plansTried.length === 0) {
    return problem(
      'no_rating_profile',
      `no rating profile for tenant "${request.tenant}", category "${request.category}", subject "${request.subject}" (nor "*any") active at ${at}`,
    );
  }
  const plans = plansTried.map((p) => `${p.activation.plan.id} (subject ${p.subject})`).join(', ');
  return problem(
    'no_rate_for_destination',
    `no rate for destination "${request.destination}" at ${at} for tenant "${request.tenant}", category "${request.category}" in rating plans ${plans}`,
  );
}

const NO_FALLBACK: readonly string[] = [];

function problem(code: RatingProblem['code'], message: string): RatingResult {
  return fail(code, message) as RatingResult;
}

/** The subject's own profile, else the category's `*any` profile: the newest activation not after the usage start. */
function findActivation(
  tariff: CompiledTariff,
  request: RatingRequest,
  subject: string,
): { subject: string; activation: CompiledActivation } | null {
  const subjects = tariff.profiles.get(request.tenant)?.get(request.category);
  if (subjects === undefined) return null;
  const own = activeAt(subjects.get(subject), request.answerTimeMs);
  if (own !== undefined) return { subject, activation: own };
  const fallback = subject === ANY ? undefined : activeAt(subjects.get(ANY), request.answerTimeMs);
  return fallback === undefined ? null : { subject: ANY, activation: fallback };
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
 * The bindings of the longest prefix of the destination that the plan prices at the usage start
 * (CGRateS semantics: a longer prefix without an active binding gives way to a shorter one), then
 * the plan's `*any` destination.
 */
function findCandidates(
  tariff: CompiledTariff,
  plan: CompiledRatingPlan,
  destination: string,
  atMs: number,
): Candidates | null {
  let local: LocalTime | null = null; // read only when a binding has a band
  const localAt = (): LocalTime => {
    if (local === null) local = tariff.clock.localTime(atMs);
    return local;
  };
  const isActive = (bindings: readonly CompiledBinding[]): boolean =>
    bindings.some((b) => b.band === null || bandActive(b.band, localAt()));
  if (destination.length > 0 && plan.byPrefix.size > 0) {
    const count = tariff.trie.matches(destination, prefixMatches);
    for (let i = 0; i < count; i++) {
      const prefixId = prefixMatches[i]!;
      const bindings = plan.byPrefix.get(prefixId);
      if (bindings !== undefined && isActive(bindings))
        return { bindings, matchedPrefix: tariff.trie.prefixOf(prefixId) };
    }
  }
  if (plan.anyDestination.length > 0 && isActive(plan.anyDestination)) {
    return { bindings: plan.anyDestination, matchedPrefix: ANY };
  }
  return null;
}

function bandActive(band: CompiledTimeBand, local: LocalTime): boolean {
  if (local.msOfDay < band.startMs || local.msOfDay >= band.endMs) return false;
  if (band.weekDayMask !== 0 && (band.weekDayMask & (1 << local.weekDay)) === 0) return false;
  if (band.monthDayMask !== 0 && (band.monthDayMask & (1 << local.monthDay)) === 0) return false;
  if (band.monthMask !== 0 && (band.monthMask & (1 << local.month)) === 0) return false;
  if (band.years !== null && !band.years.has(local.year)) return false;
  return band.holidayDays === null || band.holidayDays.has(local.dayNumber);
}

/** Highest weight wins; at equal weight the band that starts later in the day; then the first declared. */
function bestBinding(bindings: readonly CompiledBinding[], local: LocalTime | null): CompiledBinding | null {
  let best: CompiledBinding | null = null;
  for (const binding of bindings) {
    if (binding.band !== null && (local === null || !bandActive(binding.band, local))) continue;
    if (best === null || outranks(binding, best)) best = binding;
  }
  return best;
}

function outranks(a: CompiledBinding, b: CompiledBinding): boolean {
  if (a.weight !== b.weight) return a.weight > b.weight;
  const aStart = a.band?.startMs ?? 0;
  const bStart = b.band?.startMs ?? 0;
  if (aStart !== bStart) return aStart > bStart;
  return a.index < b.index;
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
  ratedSubject: string,
  fallbackPath: readonly string[],
  activation: CompiledActivation,
  candidates: Candidates,
): RatingResult {
  const dimension = quantityDimension(request.usage);
  const hasBands = candidates.bindings.some((b) => b.band !== null);
  // Counts and volumes are events at one instant; only durations cross band boundaries.
  const banded = hasBands && dimension === 'time';
  let local = hasBands ? tariff.clock.localTime(request.answerTimeMs) : null;
  const spans: RatedSpan[] = [];
  let offset = 0;
  while (offset < totalUnits) {
    if (spans.length >= MAX_SPANS)
      return problem('usage_too_complex', `usage splits into more than ${MAX_SPANS} spans`);
    const instantMs = request.answerTimeMs + (banded ? offset : 0);
    if (banded && offset > 0) local = tariff.clock.localTime(instantMs);
    const binding = bestBinding(candidates.bindings, local);
    if (binding === null) {
      return problem(
        'no_rate_for_time',
        `no time band of destination ${candidates.matchedPrefix} in plan ${activation.plan.id} covers ${new Date(instantMs).toISOString()}`,
      );
    }
    const rate = binding.rate;
    if (rate.dimension !== dimension) {
      return problem(
        'usage_unit_mismatch',
        `rate ${rate.id} prices ${rate.dimension === 'time' ? 'durations' : 'volumes or counts'}, but the usage is ${dimension === 'time' ? 'a duration' : 'a volume or count'}`,
      );
    }
    const groups = rate.groups;
    let g = groups.length - 1;
    while (g > 0 && groups[g]!.fromUnits > offset) g--;
    const group = groups[g]!;
    let spanEnd = Math.min(totalUnits, groups[g + 1]?.fromUnits ?? totalUnits);
    if (banded && local !== null)
      spanEnd = Math.min(spanEnd, offset + (nextBoundaryMs(tariff, local, instantMs) - instantMs));
    const increments = Math.ceil((spanEnd - offset) / group.incrementUnits);
    const billedUnits = increments * group.incrementUnits;
    // The billed increments cover usage beyond spanEnd when they cross a boundary.
    const usedUnits = Math.min(offset + billedUnits, totalUnits) - offset;
    const costNumerator = BigInt(billedUnits) * group.multiplier;
    const previous = spans[spans.length - 1];
    if (previous !== undefined && previous.binding === binding && previous.group === group) {
      spans[spans.length - 1] = {
        ...previous,
        usedUnits: previous.usedUnits + usedUnits,
        increments: previous.increments + increments,
        billedUnits: previous.billedUnits + billedUnits,
        costNumerator: previous.costNumerator + costNumerator,
      };
    } else {
      spans.push({ startUnits: offset, usedUnits, increments, billedUnits, binding, group, costNumerator });
    }
    offset += billedUnits;
  }
  const start = spans[0]?.binding ?? bestBinding(candidates.bindings, local);
  if (start === null)
    return problem('no_rate_for_time', `no time band in plan ${activation.plan.id} covers the usage start`);
  return ok(
    settle(tariff, request, dimension, ratedSubject, fallbackPath, activation, candidates, start, spans),
  );
}

/** The instant of the next band boundary (or local midnight) after `instantMs`. */
function nextBoundaryMs(tariff: CompiledTariff, local: LocalTime, instantMs: number): number {
  const next = tariff.bandBoundariesMs.find((ms) => ms > local.msOfDay);
  const day = next === undefined ? local.dayNumber + 1 : local.dayNumber;
  return Math.max(instantMs + 1, tariff.clock.instantOfLocal(instantMs, day, next ?? 0));
}

/** Adds the connect fee, applies the minimum and maximum, and rounds once. */
function settle(
  tariff: CompiledTariff,
  request: RatingRequest,
  dimension: RatedCharge['dimension'],
  ratedSubject: string,
  fallbackPath: readonly string[],
  activation: CompiledActivation,
  candidates: Candidates,
  start: CompiledBinding,
  spans: readonly RatedSpan[],
): RatedCharge {
  const rate = start.rate;
  const charged = spans.length > 0;
  let numerator = charged ? rate.connectFeeNumerator : 0n;
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
  let minimumChargeApplied = false;
  const minimum = rate.minimumChargeNumerator;
  if (charged && minimum !== null && numerator * rate.denominator < minimum * denominator) {
    numerator = minimum;
    denominator = rate.denominator;
    minimumChargeApplied = true;
  }
  let maxCost: RatedCharge['maxCost'] = null;
  if (start.maxCost !== null) {
    const cap = start.maxCost.amount;
    const reached = numerator * pow10(cap.scale) > cap.coefficient * denominator;
    maxCost = { strategy: start.maxCost.strategy, reached };
    if (reached && start.maxCost.strategy === 'free') {
      numerator = cap.coefficient;
      denominator = pow10(cap.scale);
    }
  }
  const { method, decimals } = start.rounding;
  const rounded = divideRounded(numerator * pow10(decimals), denominator, method);
  return {
    request,
    dimension,
    ratedSubject,
    fallbackPath,
    activation,
    matchedPrefix: candidates.matchedPrefix,
    spans,
    connectFeeApplied: charged && rate.connectFee.coefficient !== 0n,
    minimumChargeApplied,
    maxCost,
    exactNumerator: numerator,
    exactDenominator: denominator,
    rounding: start.rounding,
    cost: { amountMicros: rounded * pow10(MICROS_DECIMALS - decimals), currency: tariff.currency },
  };
}
