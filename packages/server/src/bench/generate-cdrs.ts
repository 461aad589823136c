import { SeededRandom } from '../seed/seeded-random.js';
import { SPARE_COUNTRY_CODE } from './country-calling-codes.js';

/** One generated call detail record, as the CDR file holds it and as rating needs it. */
export interface Cdr {
  readonly id: string;
  readonly subject: string;
  readonly destination: string;
  /** UTC, whole seconds: `2026-03-09T09:00:00Z`. */
  readonly answerTime: string;
  readonly answerTimeMs: number;
  readonly durationMs: number;
}

export interface CdrOptions {
  readonly seed: number;
  readonly count: number;
  /** The deck's prefixes, written with `+`; called numbers extend them. */
  readonly prefixes: readonly string[];
  /** First instant of the month the calls are spread over, UTC epoch ms. */
  readonly monthStartMs: number;
  readonly days: number;
}

export const CDR_COLUMNS = ['id', 'subject', 'destination', 'answer_time', 'duration_ms'] as const;

/** Share of calls to numbers under a spare country code, which no prefix matches. */
export const UNMATCHED_SHARE = 0.03;
const MIN_NUMBER_DIGITS = 11;
const MAX_NUMBER_DIGITS = 13;
/** Log-normal durations: with sigma 1, mu = ln(120) - 1/2 gives a mean of exactly 120 s. */
const DURATION_SIGMA = 1;
const DURATION_MU = Math.log(120) - (DURATION_SIGMA * DURATION_SIGMA) / 2;
/** The far tail is cut at four hours, as switches cut long calls into partial records. */
const MAX_DURATION_MS = 4 * 3_600_000;
/** Relative traffic per UTC hour: quiet nights, busy office hours; calls cross 08:00 and 19:00. */
const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 9, 9, 8, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1,
].map((weight, hour) => [hour, weight]);

/**
 * `count` calls, the same for the same options: destinations extend a random deck prefix to 11-13
 * digits (a few go to a spare country code instead), answer times follow the daily traffic curve
 * over the month, durations are log-normal with a mean of 120 s, at millisecond precision.
 */
export function* generateCdrs(options: CdrOptions): Generator<Cdr> {
  const random = new SeededRandom(options.seed);
  for (let i = 0; i < options.count; i++) {
    const answerTimeMs = drawAnswerTimeMs(random, options);
    yield {
      id: String(i + 1),
      subject: `+4477009${random.digits(5)}`,
      destination: drawDestination(random, options.prefixes),
      answerTime: `${new Date(answerTimeMs).toISOString().slice(0, 19)}Z`,
      answerTimeMs,
      durationMs: drawDurationMs(random),
    };
  }
}

export function cdrLine(cdr: Cdr): string {
  return `${cdr.id},${cdr.subject},${cdr.destination},${cdr.answerTime},${cdr.durationMs}\n`;
}

/** A number extending a random deck prefix to 11-13 digits, or under the spare country code. */
export function drawDestination(random: SeededRandom, prefixes: readonly string[]): string {
  const digits = random.int(MIN_NUMBER_DIGITS, MAX_NUMBER_DIGITS);
  const start = random.chance(UNMATCHED_SHARE) ? `+${SPARE_COUNTRY_CODE}` : random.pick(prefixes);
  return start + random.digits(digits - (start.length - 1));
}

/** An instant of the month, whole seconds, following the daily traffic curve. */
export function drawAnswerTimeMs(
  random: SeededRandom,
  options: Pick<CdrOptions, 'monthStartMs' | 'days'>,
): number {
  const day = random.int(0, options.days - 1);
  const hour = random.pickWeighted(HOUR_WEIGHTS);
  const secondOfHour = random.int(0, 3_599);
  return options.monthStartMs + day * 86_400_000 + hour * 3_600_000 + secondOfHour * 1_000;
}

/** A log-normal duration with a mean of 120 s, at millisecond precision, cut at four hours. */
export function drawDurationMs(random: SeededRandom): number {
  const seconds = Math.exp(DURATION_MU + DURATION_SIGMA * random.normal());
  return Math.min(MAX_DURATION_MS, Math.max(1, Math.round(seconds * 1_000)));
}
