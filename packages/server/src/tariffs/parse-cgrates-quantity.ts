import { fail, ok, parseDecimal, pow10, type Result } from '@tollgate/core';

/**
 * A usage amount as CGRateS writes it in Rates.csv. CGRateS holds every amount as a Go duration
 * and reads a bare integer as nanoseconds, which is how data (`1024`) and SMS (`1`) rates are
 * written; Tollgate reads bare integers as counts of units instead, and durations as durations.
 * A bare `0` (or an empty GroupIntervalStart) has no dimension of its own: it takes the dimension
 * of the other values of its rate.
 */
export type CgratesQuantity =
  | { readonly kind: 'zero' }
  | { readonly kind: 'duration'; readonly text: string; readonly durationNs: bigint }
  | { readonly kind: 'count'; readonly value: number };

/** The native QuantityText bound; longer text is no amount anyone writes in a tariff. */
const MAX_QUANTITY_TEXT_LENGTH = 40;
const COUNT_PATTERN = /^\d+$/;
/** Go's time.ParseDuration syntax without a sign: one or more `<number><unit>` components. */
const GO_DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|μs|ns))+$/;
/** One component; `ms` is tried before `m` so "500ms" is not 500 minutes. */
const GO_COMPONENT = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/g;
const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign, as Go accepts
  μs: 1_000n, // U+03BC Greek mu, as Go accepts
  ns: 1n,
};
const NS_PER_MS = 1_000_000n;

/**
 * Parses `60s`, `1m`, `1h30m`, `1.5s`, `0s` (durations, kept as written), `1024` (a count) or
 * `0` / `` (zero). Durations finer than a millisecond are rejected: usage is never measured finer.
 */
export function parseCgratesQuantity(text: string): Result<CgratesQuantity> {
  if (text === '') return ok({ kind: 'zero' });
  if (text.length > MAX_QUANTITY_TEXT_LENGTH) {
    return fail('invalid_quantity', `"${text.slice(0, MAX_QUANTITY_TEXT_LENGTH)}..." is too long`);
  }
  if (COUNT_PATTERN.test(text)) {
    const value = Number(text);
    if (value === 0) return ok({ kind: 'zero' });
    if (!Number.isSafeInteger(value)) return fail('invalid_quantity', `"${text}" is too large a count`);
    return ok({ kind: 'count', value });
  }
  if (!GO_DURATION_PATTERN.test(text)) {
    return fail(
      'invalid_quantity',
      `"${text}" is neither a duration (60s, 1m, 1h30m) nor a whole count (1024)`,
    );
  }
  let durationNs = 0n;
  // The pattern above matched, so the components tile the text: at most one per two characters.
  for (const [, amount = '', unit = ''] of text.matchAll(GO_COMPONENT)) {
    const parsed = parseDecimal(amount);
    if (!parsed.ok) throw new RangeError(`parseCgratesQuantity: "${amount}" matched but is not a decimal`);
    const exactNs = parsed.value.coefficient * (NS_PER_UNIT[unit] ?? 0n);
    const divisor = pow10(parsed.value.scale);
    if (exactNs % divisor !== 0n) return subMillisecond(text);
    durationNs += exactNs / divisor;
  }
  if (durationNs % NS_PER_MS !== 0n) return subMillisecond(text);
  return ok({ kind: 'duration', text, durationNs });
}

function subMillisecond(text: string): Result<never> {
  return fail(
    'unsupported_duration',
    `"${text}" is finer than a millisecond, which usage is never measured in`,
  );
}
