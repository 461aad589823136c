import { compareDecimal, DECIMAL_ZERO, decimal, formatDecimal, parseDecimal } from '@tollgate/core';

const HUNDRED = decimal('100');
/** numeric(9, 6) holds discounts; tax rates are kept to the same precision. */
const MAX_PERCENT_DECIMALS = 6;

export type ParsedPercent =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

/**
 * An exact percent from the API's decimal text, as its shortest form ("19.50" is "19.5"): from
 * 0 to 100 (or above 0 when zero makes no sense), at most six decimals. Never a float: 19 % of
 * a bill must come out exact.
 */
export function parsePercent(text: string, zero: 'allowed' | 'refused'): ParsedPercent {
  const parsed = parseDecimal(text);
  if (!parsed.ok || parsed.value.coefficient < 0n)
    return { ok: false, message: `"${text}" is not a percent: a decimal from 0 to 100` };
  const shortest = formatDecimal(parsed.value);
  if ((shortest.split('.')[1] ?? '').length > MAX_PERCENT_DECIMALS)
    return { ok: false, message: `"${text}" has more than ${MAX_PERCENT_DECIMALS} decimals` };
  if (compareDecimal(parsed.value, HUNDRED) > 0) return { ok: false, message: `"${text}" is more than 100` };
  if (zero === 'refused' && compareDecimal(parsed.value, DECIMAL_ZERO) === 0)
    return { ok: false, message: 'a percent of zero changes nothing: it must be more than 0' };
  return { ok: true, text: shortest };
}
