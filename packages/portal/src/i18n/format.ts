/**
 * Numbers, money, dates and sizes through Intl, in the user's locale. Amounts arrive from the API
 * as exact decimal strings ("71.40"); Intl.NumberFormat formats such strings exactly (no float
 * on the way), so what the customer reads is what the invoice says.
 */

export interface Formats {
  readonly locale: string;
  readonly timeZone: string | undefined;
}

export function money(f: Formats, amount: string, currency: string): string {
  return new Intl.NumberFormat(f.locale, { style: 'currency', currency }).format(
    amount as Intl.StringNumericLiteral,
  );
}

export function num(f: Formats, value: number | string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(f.locale, { maximumFractionDigits }).format(
    value as number | Intl.StringNumericLiteral,
  );
}

export function percent(f: Formats, fraction: number): string {
  return new Intl.NumberFormat(f.locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

function zoned(f: Formats): { timeZone?: string } {
  return f.timeZone === undefined ? {} : { timeZone: f.timeZone };
}

export function dateTime(f: Formats, iso: string): string {
  return new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeStyle: 'short', ...zoned(f) }).format(
    new Date(iso),
  );
}

/** A calendar date ("2026-04-01") as the locale writes it, without shifting it by a time zone. */
export function date(f: Formats, isoDate: string): string {
  const day = isoDate.length === 10 ? new Date(`${isoDate}T12:00:00Z`) : new Date(isoDate);
  return new Intl.DateTimeFormat(f.locale, {
    dateStyle: 'medium',
    ...(isoDate.length === 10 ? { timeZone: 'UTC' } : zoned(f)),
  }).format(day);
}

/** Seconds as "1 h 02 min" / "3 min 05 s" / "45 s", with unit names from Intl. */
export function duration(f: Formats, seconds: number): string {
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(f.locale, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  if (h > 0) return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
  if (m > 0) return `${unit(m, 'minute')} ${unit(s, 'second')}`;
  return unit(s, 'second');
}

/** Bytes in the largest unit that keeps the number at or above 1 (decimal units, as operators sell data). */
export function bytes(f: Formats, value: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let amount = value;
  let index = 0;
  while (amount >= 1000 && index < units.length - 1) {
    amount /= 1000;
    index += 1;
  }
  return new Intl.NumberFormat(f.locale, {
    style: 'unit',
    unit: units[index],
    unitDisplay: 'short',
    maximumFractionDigits: index >= 3 ? 2 : 0,
  }).format(amount);
}
