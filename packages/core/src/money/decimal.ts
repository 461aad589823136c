import { fail, ok, type Result } from '../result.js';

/**
 * An exact decimal number: coefficient × 10^-scale. Tariff prices are decimals of any scale
 * (0.0000004 per byte is a valid price), so they are never held as binary floating point.
 */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** The longest decimal text we accept; a bound on input, not on precision we need. */
const MAX_DECIMAL_TEXT_LENGTH = 64;
const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

export const DECIMAL_ZERO: Decimal = { coefficient: 0n, scale: 0 };

/** Parses plain decimal text such as `0.55`, `-3`, `+0.0000004` (no exponents, no separators). */
export function parseDecimal(text: string): Result<Decimal> {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DECIMAL_TEXT_LENGTH) {
    return fail('invalid_decimal', `"${text}" is not a decimal number`);
  }
  const match = DECIMAL_PATTERN.exec(trimmed);
  if (match === null) return fail('invalid_decimal', `"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  const magnitude = BigInt(`${whole}${fraction}`);
  return ok({ coefficient: sign === '-' ? -magnitude : magnitude, scale: fraction.length });
}

/** Like parseDecimal, for values known to be valid (constants, already-validated data). */
export function decimal(text: string): Decimal {
  const parsed = parseDecimal(text);
  if (!parsed.ok) throw new RangeError(parsed.error.message);
  return parsed.value;
}

/** The shortest exact text: `0.55`, `1.4`, `2`, `-0.000001`. */
export function formatDecimal(value: Decimal): string {
  return formatScaled(value.coefficient, value.scale);
}

/** coefficient × 10^-scale as the shortest exact decimal text (trailing zeros dropped). */
export function formatScaled(coefficient: bigint, scale: number): string {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString();
  let text: string;
  if (scale <= 0) {
    text = coefficient === 0n ? '0' : digits + '0'.repeat(-scale);
  } else {
    const padded = digits.padStart(scale + 1, '0');
    const whole = padded.slice(0, padded.length - scale);
    const fraction = padded.slice(padded.length - scale).replace(/0+$/, '');
    text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  }
  return negative && text !== '0' ? `-${text}` : text;
}

export function pow10(exponent: number): bigint {
  if (!Number.isInteger(exponent) || exponent < 0) throw new RangeError(`pow10: bad exponent ${exponent}`);
  return POW10[exponent] ?? 10n ** BigInt(exponent);
}

const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

export function isZeroDecimal(value: Decimal): boolean {
  return value.coefficient === 0n;
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = a.coefficient * pow10(scale - a.scale);
  const right = b.coefficient * pow10(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}
