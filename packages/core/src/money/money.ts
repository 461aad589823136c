import { fail, ok, type Result } from '../result.js';
import { getCurrency } from './currency.js';
import { formatScaled, parseDecimal, pow10 } from './decimal.js';
import { divideRounded, type RoundingMode } from './rounding-mode.js';

/**
 * An amount of one currency as a whole number of micro-units (10^-6 of the currency unit).
 * Micro-units hold every tariff charge exactly once it is rounded (tariffs round to at most
 * 6 decimals), and bigint keeps sums exact at any size: never a float on a money path.
 */
export interface Money {
  readonly amountMicros: bigint;
  readonly currency: string;
}

/** Decimal places of a micro-unit. */
export const MICROS_SCALE = 6;

/** A bound on allocateMoney's parts: a split into more parts than this is a bug, not a bill. */
export const MAX_ALLOCATION_PARTS = 100_000;

/** Money from micro-units. An unknown currency code here is a bug in the caller, so it throws. */
export function money(amountMicros: bigint, currency: string): Money {
  if (getCurrency(currency) === undefined) throw new RangeError(`unknown currency "${currency}"`);
  return { amountMicros, currency };
}

/**
 * Money from exact decimal text (`12.50`, `-0.000001`). Input from outside is a business outcome,
 * so failures are values: `unknown_currency`, `invalid_decimal` (not a plain decimal) or
 * `too_many_decimals` (a non-zero digit below the micro-unit; trailing zeros are fine).
 */
export function parseMoney(text: string, currency: string): Result<Money> {
  if (getCurrency(currency) === undefined) {
    return fail('unknown_currency', `"${currency}" is not an ISO 4217 currency code`);
  }
  const parsed = parseDecimal(text);
  if (!parsed.ok) return parsed;
  const { coefficient, scale } = parsed.value;
  if (scale <= MICROS_SCALE) {
    return ok({ amountMicros: coefficient * pow10(MICROS_SCALE - scale), currency });
  }
  const divisor = pow10(scale - MICROS_SCALE);
  if (coefficient % divisor !== 0n) {
    return fail('too_many_decimals', `"${text}" has more than ${MICROS_SCALE} decimals`);
  }
  return ok({ amountMicros: coefficient / divisor, currency });
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMicros: a.amountMicros + b.amountMicros, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMicros: a.amountMicros - b.amountMicros, currency: a.currency };
}

export function negateMoney(m: Money): Money {
  return { amountMicros: -m.amountMicros, currency: m.currency };
}

/** The exact sum; the currency is given so that an empty list still has one (zero). */
export function sumMoney(list: readonly Money[], currency: string): Money {
  let total = money(0n, currency);
  for (const item of list) total = addMoney(total, item);
  return total;
}

/**
 * m × numerator / denominator, rounded once by `mode`. Taking an exact rational (not a decimal
 * factor) lets callers apply 19% tax (19/100) or a 7-of-30-days proration (7/30) without any
 * intermediate rounding.
 */
export function multiplyMoney(m: Money, numerator: bigint, denominator: bigint, mode: RoundingMode): Money {
  return {
    amountMicros: divideRounded(m.amountMicros * numerator, denominator, mode),
    currency: m.currency,
  };
}

/**
 * Rounds to the currency's minor unit (2 decimals for EUR, 0 for JPY, 3 for KWD), as invoices
 * do. Units without a minor unit (ISO 4217 "N.A.": XAU, XDR, ...) keep all 6 decimals.
 */
export function roundMoneyToMinorUnit(m: Money, mode: RoundingMode): Money {
  const minorUnits = minorUnitsOf(m.currency);
  if (minorUnits >= MICROS_SCALE) return m;
  const step = pow10(MICROS_SCALE - minorUnits);
  return { amountMicros: divideRounded(m.amountMicros, step, mode) * step, currency: m.currency };
}

/**
 * Splits m into parts proportional to `weights` that sum exactly to m (largest-remainder
 * method). Each part first gets its share rounded towards zero; the micro-units left over go
 * one each to the parts with the largest remainders, ties to the earlier part, so the result is
 * deterministic. A negative amount splits like its magnitude, so a refund mirrors its charge.
 * Weights must be non-negative with a positive sum: anything else is a bug and throws.
 */
export function allocateMoney(m: Money, weights: readonly bigint[]): Money[] {
  const totalWeight = checkedTotalWeight(weights);
  const magnitude = m.amountMicros < 0n ? -m.amountMicros : m.amountMicros;
  const shares = weights.map((weight) => (magnitude * weight) / totalWeight);
  const remainders = weights.map((weight) => (magnitude * weight) % totalWeight);
  let leftover = magnitude - shares.reduce((sum, share) => sum + share, 0n);
  for (const index of indexesByRemainderDescending(remainders)) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  const sign = m.amountMicros < 0n ? -1n : 1n;
  return shares.map((share) => ({ amountMicros: sign * share, currency: m.currency }));
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amountMicros < b.amountMicros ? -1 : a.amountMicros > b.amountMicros ? 1 : 0;
}

/** The shortest exact decimal text of the amount, without currency: `0.55`, `-3`, `0.000001`. */
export function formatMoneyDecimal(m: Money): string {
  return formatScaled(m.amountMicros, MICROS_SCALE);
}

export interface FormatMoneyOptions {
  /**
   * `currency` (default): the currency's minor unit (EUR 2, JPY 0, KWD 3), rounded half-up
   * (half away from zero) by Tollgate before formatting; `all`: every non-zero micro digit, and
   * at least the minor unit's decimals.
   */
  readonly minorUnits?: 'currency' | 'all';
}

/**
 * Money for people, in the locale's currency style. The amount reaches Intl.NumberFormat as a
 * decimal string, which ECMA-402 (2023) formats exactly: a float would lose digits above 2^53
 * micro-units. Fraction digits follow ISO 4217, not CLDR (which differs for e.g. IQD), so the
 * text agrees with invoices rounded by roundMoneyToMinorUnit.
 */
export function formatMoney(m: Money, locale: string, options: FormatMoneyOptions = {}): string {
  const minorUnits = minorUnitsOf(m.currency);
  const showAll = options.minorUnits === 'all';
  const shown = showAll ? m : roundMoneyToMinorUnit(m, 'half-up');
  const hasMinorUnit = getCurrency(m.currency)?.minorUnits !== null;
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: hasMinorUnit ? minorUnits : 0,
    maximumFractionDigits: showAll ? MICROS_SCALE : minorUnits,
  });
  // formatMoneyDecimal always yields a plain decimal literal, which is what the type asks for.
  return formatter.format(formatMoneyDecimal(shown) as `${number}`);
}

function minorUnitsOf(currency: string): number {
  const info = getCurrency(currency);
  if (info === undefined) throw new RangeError(`unknown currency "${currency}"`);
  return info.minorUnits ?? MICROS_SCALE;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`currency mismatch: ${a.currency} and ${b.currency}`);
  }
}

function checkedTotalWeight(weights: readonly bigint[]): bigint {
  if (weights.length === 0 || weights.length > MAX_ALLOCATION_PARTS) {
    throw new RangeError(`allocateMoney: need 1 to ${MAX_ALLOCATION_PARTS} weights, got ${weights.length}`);
  }
  let total = 0n;
  for (const weight of weights) {
    if (weight < 0n) throw new RangeError('allocateMoney: weights must not be negative');
    total += weight;
  }
  if (total === 0n) throw new RangeError('allocateMoney: weights must not all be zero');
  return total;
}

/** Indexes ordered by remainder, largest first; equal remainders keep their order (stable sort). */
function indexesByRemainderDescending(remainders: readonly bigint[]): number[] {
  return remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((x, y) => (x.remainder > y.remainder ? -1 : x.remainder < y.remainder ? 1 : x.index - y.index))
    .map((entry) => entry.index);
}
