import type { ReportColumn } from '../api/types.js';
import { date, type Formats, num } from '../i18n/format.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Money with every decimal the API sent: a report sums exact amounts, and a price per byte of
 * 0.0004 must not read 0.00. Intl formats the decimal text itself, so no float is involved.
 */
export function exactMoney(f: Formats, amount: string, currency: string): string {
  return new Intl.NumberFormat(f.locale, { style: 'currency', currency, maximumFractionDigits: 6 }).format(
    amount as Intl.StringNumericLiteral,
  );
}

/** A decimal with its own decimals (two to six), grouped as the locale groups. */
function exactNumber(f: Formats, value: string, minimumFractionDigits: number): string {
  return new Intl.NumberFormat(f.locale, { minimumFractionDigits, maximumFractionDigits: 6 }).format(
    value as Intl.StringNumericLiteral,
  );
}

/**
 * One report cell as text: the exact string the API gave, written in the reader's locale by its
 * column type. Money takes the row's currency column when the report has one (several currencies
 * in one report), else the report's; anything that does not parse is shown as it came.
 */
export function reportValue(
  f: Formats,
  column: ReportColumn,
  value: string | null | undefined,
  currency: string | null,
): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (column.type) {
    case 'money':
      if (!DECIMAL.test(value)) return value;
      return currency !== null && /^[A-Z]{3}$/.test(currency)
        ? exactMoney(f, value, currency)
        : exactNumber(f, value, 2);
    case 'integer':
      return DECIMAL.test(value) ? num(f, value) : value;
    case 'decimal':
      return DECIMAL.test(value) ? exactNumber(f, value, 0) : value;
    case 'percent':
      return DECIMAL.test(value) ? `${exactNumber(f, value, 0)} %` : value;
    case 'date':
      return ISO_DATE.test(value) ? date(f, value) : value;
    default:
      return value;
  }
}

/** Whether a column's values line up on the right (amounts and counts). */
export function isNumericColumn(column: ReportColumn): boolean {
  return column.type !== 'text' && column.type !== 'date';
}

/** A value for drawing only (bar heights, line points): never shown, never summed. */
export function chartNumber(value: string | null | undefined): number {
  if (value === null || value === undefined || !DECIMAL.test(value)) return 0;
  return Number(value);
}

/** The currency of a row: its own currency column when the report has one, else the report's. */
export function rowCurrency(
  row: Readonly<Record<string, string | null>>,
  reportCurrency: string | null,
): string | null {
  const own = row.currency;
  return typeof own === 'string' && /^[A-Z]{3}$/.test(own) ? own : reportCurrency;
}
