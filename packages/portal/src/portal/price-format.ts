import type { Formats } from '../i18n/format.js';

/**
 * Money with every decimal the API sent, for unit prices and single usage charges: a tariff may
 * price a byte at 0.0000004 and a call may cost 0.0125, which format.money (rounded to the
 * currency's minor unit, as invoices are) would show as 0.00 and 0.01. Intl formats the decimal
 * string exactly; only the number of decimals shown changes. A fraction without a finite decimal
 * form ("181/300", from a rating explanation) is shown as the fraction.
 */
export function preciseMoney(f: Formats, amount: string, currency: string): string {
  if (amount.includes('/')) return `${amount} ${currency}`;
  const minimum = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .minimumFractionDigits;
  const decimals = (amount.split('.')[1] ?? '').replace(/0+$/, '').length;
  return new Intl.NumberFormat(f.locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: minimum ?? 2,
    maximumFractionDigits: Math.min(20, Math.max(decimals, minimum ?? 2)),
  }).format(amount as Intl.StringNumericLiteral);
}

/**
 * A decimal text times 10^places, exactly, by moving the decimal point ("0.000000012", 6 →
 * "0.012"): a price per byte read as a price per megabyte, with no arithmetic on floats.
 */
export function shiftDecimal(amount: string, places: number): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const digits = whole + fraction;
  let point = whole.length + places;
  let text = digits;
  if (point <= 0) {
    text = '0'.repeat(1 - point) + text;
    point = 1;
  }
  if (point > text.length) text = text.padEnd(point, '0');
  const integer = text.slice(0, point).replace(/^0+(?=\d)/, '');
  const decimals = text.slice(point).replace(/0+$/, '');
  return `${negative ? '-' : ''}${integer}${decimals === '' ? '' : `.${decimals}`}`;
}
