/**
 * Exact arithmetic on the API's decimal amounts ("71.40", "-0.000400"), for the few sums and
 * comparisons a screen makes (what several invoices owe, whether an amount is above zero). The
 * text is read into bigint micro-units, as the server holds money, so nothing passes through
 * binary floating point; the result goes back to decimal text for format.money.
 */

const SCALE = 6;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Micro-units of a decimal text; extra digits beyond six decimals are cut (the API never sends them). */
export function toMicros(amount: string): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (match === null) throw new RangeError(`not a decimal amount: ${amount}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const micros = BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0').slice(0, SCALE));
  return sign === '-' ? -micros : micros;
}

/** Decimal text of micro-units, with at least `minDecimals` decimals ("12.50"). */
export function fromMicros(micros: bigint, minDecimals = 2): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const unit = 10n ** BigInt(SCALE);
  const whole = magnitude / unit;
  let fraction = (magnitude % unit).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

export function sumDecimals(amounts: readonly string[]): string {
  return fromMicros(amounts.reduce((sum, amount) => sum + toMicros(amount), 0n));
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareDecimals(a: string, b: string): number {
  const difference = toMicros(a) - toMicros(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function isPositive(amount: string): boolean {
  return toMicros(amount) > 0n;
}

/** Whether a text is a plain positive decimal with at most `decimals` decimals, as forms accept. */
export function isAmountText(text: string, decimals = 2): boolean {
  return new RegExp(`^\\d{1,12}(\\.\\d{1,${decimals}})?$`).test(text.trim());
}

/** What a person typed as an amount, in the API's form: "20,5" (a decimal comma) becomes "20.5". */
export function amountInput(text: string): string {
  const trimmed = text.trim().replace(/\s/g, '');
  return /^\d+,\d+$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
}
