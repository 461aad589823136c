import { formatScaled, parseDecimal, pow10 } from '../money/decimal.js';
import { fail, ok, type Result } from '../result.js';

/**
 * The longest duration Tollgate accepts: 10 Julian years (3652.5 days). No call, session or
 * validity period is that long, so anything larger is a typo or a unit mix-up.
 */
export const MAX_DURATION_MS = 315_576_000_000;

const SUB_MILLISECOND = 'finer than one millisecond';

/** A bound on input length, checked before any pattern runs. */
const MAX_DURATION_TEXT_LENGTH = 64;

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1000n * NS_PER_MS;
const NS_PER_MINUTE = 60n * NS_PER_SECOND;
const NS_PER_HOUR = 60n * NS_PER_MINUTE;
const NS_PER_DAY = 24n * NS_PER_HOUR;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/** Go's time.ParseDuration units (CGRateS tariff plans use them), in nanoseconds. */
const GO_UNIT_NS: Readonly<Record<string, bigint>> = {
  h: NS_PER_HOUR,
  m: NS_PER_MINUTE,
  s: NS_PER_SECOND,
  ms: NS_PER_MS,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign, as Go accepts
  μs: 1_000n, // U+03BC Greek mu, as Go accepts
  ns: 1n,
};

/** One `<number><unit>` component; `ms` is tried before `m` so "500ms" is not 500 minutes. */
const GO_COMPONENT = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/y;

/**
 * ISO 8601 durations with fixed-length designators only: weeks, days (24 h: Tollgate durations
 * measure usage, not calendar spans), hours, minutes, seconds. Years and months have no fixed
 * length, so they are rejected rather than guessed.
 */
const ISO_NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const ISO_DURATION = new RegExp(
  `^P(?:${ISO_NUMBER}W)?(?:${ISO_NUMBER}D)?(?:T(?:${ISO_NUMBER}H)?(?:${ISO_NUMBER}M)?(?:${ISO_NUMBER}S)?)?$`,
  'i',
);
const ISO_CALENDAR_DESIGNATOR = /^P[^T]*[YM]/i;
/** Nanoseconds per ISO_DURATION capture group, in order: W, D, H, M, S. */
const ISO_UNIT_NS: readonly bigint[] = [
  7n * NS_PER_DAY,
  NS_PER_DAY,
  NS_PER_HOUR,
  NS_PER_MINUTE,
  NS_PER_SECOND,
];

/**
 * Parses a duration into whole milliseconds (durationMs). Accepts Go style ("45s", "1m30s",
 * "1h30m15s", "500ms", "1.5s", "0") and ISO 8601 ("PT45S", "PT1H2M3.5S", "P1DT2H"). Rejects
 * negatives, bare numbers other than 0 (seconds or milliseconds? the text must say), sub-millisecond
 * precision, and anything over MAX_DURATION_MS, all with code `invalid_duration`.
 */
export function parseDuration(text: string): Result<number> {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DURATION_TEXT_LENGTH) {
    return invalid(text, 'expected e.g. "1m30s" or "PT1M30S"');
  }
  if (trimmed === '0') return ok(0);
  const durationNs = /^p/i.test(trimmed) ? parseIsoNs(trimmed) : parseGoNs(trimmed);
  if (typeof durationNs === 'string') return invalid(text, durationNs);
  if (durationNs % NS_PER_MS !== 0n) return invalid(text, SUB_MILLISECOND);
  const durationMs = durationNs / NS_PER_MS;
  if (durationMs > BigInt(MAX_DURATION_MS)) return invalid(text, 'longer than 10 years');
  return ok(Number(durationMs));
}

/**
 * Go-style text for a duration: "2m10s", "1.5s", "1h", "500ms", "0s". Zero components are left
 * out, so the text is short and parseDuration (and Go) read it back to the same value.
 */
export function formatDuration(durationMs: number): string {
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`formatDuration: ${durationMs} is not a whole, non-negative number of ms`);
  }
  if (durationMs === 0) return '0s';
  if (durationMs < MS_PER_SECOND) return `${durationMs}ms`;
  const hours = Math.floor(durationMs / MS_PER_HOUR);
  const minutes = Math.floor((durationMs % MS_PER_HOUR) / MS_PER_MINUTE);
  const secondsMs = durationMs % MS_PER_MINUTE;
  const seconds = secondsMs === 0 ? '' : `${formatScaled(BigInt(secondsMs), 3)}s`;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds}`;
}

/** Total nanoseconds of a Go-style duration, or the reason it is not one. */
function parseGoNs(text: string): bigint | string {
  if (/^\d+(?:\.\d+)?$/.test(text)) return 'a number needs a unit (h, m, s, ms)';
  let totalNs = 0n;
  let position = 0;
  // Each pass consumes at least two characters, so the loop ends within the text's length.
  while (position < text.length) {
    GO_COMPONENT.lastIndex = position;
    const match = GO_COMPONENT.exec(text);
    if (match === null) return 'expected e.g. "1m30s" or "PT1M30S"';
    const [component = '', amount = '', unit = ''] = match;
    const componentNs = scaleToNs(amount, GO_UNIT_NS[unit] ?? 0n);
    if (componentNs === undefined) return SUB_MILLISECOND;
    totalNs += componentNs;
    position += component.length;
  }
  return totalNs;
}

/** Total nanoseconds of an ISO 8601 duration, or the reason it is not one. */
function parseIsoNs(text: string): bigint | string {
  if (ISO_CALENDAR_DESIGNATOR.test(text)) return 'years and months have no fixed length';
  // ISO 8601 prefers the decimal comma; both separators mean the same.
  const match = ISO_DURATION.exec(text.replaceAll(',', '.'));
  const amounts = match?.slice(1) ?? [];
  if (match === null || /T$/i.test(text) || amounts.every((amount) => amount === undefined)) {
    return 'expected e.g. "PT1M30S" or "P1DT2H"';
  }
  let totalNs = 0n;
  for (const [index, amount] of amounts.entries()) {
    if (amount === undefined) continue;
    const componentNs = scaleToNs(amount, ISO_UNIT_NS[index] ?? 0n);
    if (componentNs === undefined) return SUB_MILLISECOND;
    totalNs += componentNs;
  }
  return totalNs;
}

/**
 * amount × unitNs exactly, or undefined when that is not a whole number of nanoseconds (and so
 * certainly not of milliseconds: each component must be whole on its own, as Go requires).
 */
function scaleToNs(amount: string, unitNs: bigint): bigint | undefined {
  const parsed = parseDecimal(amount);
  if (!parsed.ok) throw new RangeError(`scaleToNs: "${amount}" passed the pattern but is not a decimal`);
  const exact = parsed.value.coefficient * unitNs;
  const divisor = pow10(parsed.value.scale);
  return exact % divisor === 0n ? exact / divisor : undefined;
}

function invalid(text: string, reason: string): Result<never> {
  return fail('invalid_duration', `"${text}" is not a valid duration: ${reason}`);
}
