import { isCurrencyCode } from '@tollgate/core';
import { formatMoneyAmount, parseMoneyAmount } from '../accounts/money-amount.js';

/** The largest int8, the type of every balance and amount column. */
const MAX_INT8 = 9_223_372_036_854_775_807n;
const WHOLE_UNITS = /^\d{1,18}$/;

export type ParsedBucketAmount =
  | { readonly ok: true; readonly amount: bigint }
  | { readonly ok: false; readonly message: string };

/**
 * An amount of a bucket's unit from API text: a decimal in the currency for money (micro-units),
 * a whole number for seconds, bytes, messages and units. Never negative.
 */
export function parseBucketAmount(text: string, unit: string): ParsedBucketAmount {
  if (isCurrencyCode(unit)) {
    const parsed = parseMoneyAmount(text, unit);
    return parsed.ok ? { ok: true, amount: parsed.micros } : parsed;
  }
  if (!WHOLE_UNITS.test(text)) return { ok: false, message: `"${text}" is not a whole number of ${unit}` };
  const amount = BigInt(text);
  if (amount > MAX_INT8) return { ok: false, message: `"${text}" is too large` };
  return { ok: true, amount };
}

/** The API text of an amount of a bucket's unit: exact decimal money, or whole units. */
export function formatBucketAmount(amount: bigint, unit: string): string {
  return isCurrencyCode(unit) ? formatMoneyAmount(amount, unit) : amount.toString();
}
