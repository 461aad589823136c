import type { Formats } from '../i18n/format.js';

/**
 * A tariff price in its currency with every decimal it has: rates go down to 0.0000004 a byte,
 * which the currency's usual two decimals would show as 0.00. Intl formats the decimal text
 * exactly (no float on the way).
 */
export function exactPrice(f: Formats, amount: string, currency: string): string {
  return new Intl.NumberFormat(f.locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: 8,
  }).format(amount as Intl.StringNumericLiteral);
}

/** An ISO instant from a datetime-local field (the browser's zone), or undefined when empty. */
export function instantOfLocal(value: string): string | undefined {
  if (value === '') return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** An exact decimal amount without its currency (the API gives some so): two to six decimals. */
export function exactDecimal(f: Formats, amount: string): string {
  return new Intl.NumberFormat(f.locale, { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(
    amount as Intl.StringNumericLiteral,
  );
}
