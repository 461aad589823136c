/**
 * Exact decimal amounts as the API writes them ("12.50", "-0.000004"), in micro-units (10^-6) as
 * bigint, for the few sums the console must do itself (sharing a credit over invoice lines).
 * Never floats: 0.1 + 0.2 must stay 0.3.
 */
const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;
const MICROS_PER_UNIT = 1_000_000n;

export function toMicros(text: string): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const micros = BigInt(whole) * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  return sign === '-' ? -micros : micros;
}

/** Micro-units as decimal text with at least two decimals and no trailing zeros beyond them. */
export function fromMicros(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_UNIT;
  const fraction = (magnitude % MICROS_PER_UNIT)
    .toString()
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${negative ? '-' : ''}${whole}.${fraction.padEnd(2, '0')}`;
}

/** Whether text is an amount the API takes: digits, at most six decimals, a sign only if `signed`. */
export function isAmount(text: string, signed = false): boolean {
  const micros = toMicros(text);
  return micros !== null && (signed || !text.trim().startsWith('-'));
}
