import { formatMoneyDecimal, getCurrency, parseMoney } from '@tollgate/core';

/** The largest int8, the column type of every *_micros column. */
const MAX_INT8 = 9_223_372_036_854_775_807n;

export type ParsedAmount =
  | { readonly ok: true; readonly micros: bigint }
  | { readonly ok: false; readonly message: string };

/**
 * Micro-units from the decimal text of the API ("250.00"), exactly: through core's parseMoney,
 * never a float. Amounts here are limits and prices, so they are never negative.
 */
export function parseMoneyAmount(text: string, currency: string): ParsedAmount {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const micros = parsed.value.amountMicros;
  if (micros < 0n) return { ok: false, message: `"${text}" is negative` };
  if (micros > MAX_INT8) return { ok: false, message: `"${text}" is too large` };
  return { ok: true, micros };
}

/**
 * The decimal text of an amount for the API: exact, with at least the currency's minor-unit
 * decimals ("250.00" EUR, "250" JPY, "0.000123" when finer than a cent).
 */
export function formatMoneyAmount(micros: bigint, currency: string): string {
  const text = formatMoneyDecimal({ amountMicros: micros, currency });
  const minorUnits = getCurrency(currency)?.minorUnits ?? 0;
  const [whole, fraction = ''] = text.split('.');
  if (minorUnits === 0 && fraction === '') return text;
  return `${whole}.${fraction.padEnd(minorUnits, '0')}`;
}
