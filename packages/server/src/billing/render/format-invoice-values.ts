import {
  type Decimal,
  decimal,
  divideRounded,
  formatMoney,
  formatScaled,
  money,
  pow10,
} from '@tollgate/core';
import type { DayRange, InvoiceDocumentLine } from '../invoice-document.js';
import type { InvoiceMessages } from './invoice-messages.js';

export type QuantityUnit = NonNullable<InvoiceDocumentLine['unit']>;

/** Formats for the values of one document, in its locale. Every input is the document's own text. */
export interface InvoiceValueFormats {
  /** The locale actually used (a tag Intl cannot read falls back to `en`). */
  readonly locale: string;
  money(amountMicros: string): string;
  /** An ISO day (YYYY-MM-DD): `31.03.2026` in de-DE, `Mar 31, 2026` in en-US. */
  date(isoDate: string): string;
  /** Both days included: `1–31 Mar 2026` in en-GB. */
  dayRange(range: DayRange): string;
  /** An ISO instant, as a day and a time in the account's time zone. */
  instant(isoInstant: string): string;
  quantity(quantity: string, unit: QuantityUnit | null, proration?: string | null): string;
  /** A rate in percent as an exact decimal ("19", "7.5"): `19 %` in de-DE, `19%` in en-US. */
  percent(ratePercent: string): string;
  /** An exact decimal with all its digits: an exchange rate. */
  decimal(value: string): string;
}

export interface InvoiceFormatContext {
  readonly locale: string;
  readonly currency: string;
  readonly timeZone: string;
  /** For the words some quantities carry ("12/31 days"). */
  readonly messages: InvoiceMessages;
}

/**
 * Intl only ever receives exact decimal strings (ECMA-402 formats those without going through a
 * float), so no amount, rate or volume is rounded twice. Days are formatted as UTC midnights in
 * UTC: an ISO day is already the account's day, and formatting it in any other zone could shift
 * it by one.
 */
export function formatInvoiceValues(context: InvoiceFormatContext): InvoiceValueFormats {
  const locale = usableLocale(context.locale);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const instantFormat = new Intl.DateTimeFormat(locale, {
    timeZone: context.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return {
    locale,
    money: (amountMicros) => formatMoney(money(BigInt(amountMicros), context.currency), locale),
    date: (isoDate) => dateFormat.format(utcDay(isoDate)),
    dayRange: (range) =>
      range.from === range.to
        ? dateFormat.format(utcDay(range.from))
        : dateFormat.formatRange(utcDay(range.from), utcDay(range.to)),
    instant: (isoInstant) => instantFormat.format(instant(isoInstant)),
    quantity: (quantity, unit, proration = null) =>
      formatQuantity(locale, context.messages, quantity, unit, proration),
    percent: (ratePercent) => formatPercent(locale, ratePercent),
    decimal: (value) => formatExactDecimal(locale, decimal(value)),
  };
}

/** A stored locale Intl does not know must not make an invoice unprintable. */
function usableLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(isoDate: string): Date {
  const match = ISO_DAY.exec(isoDate);
  const day =
    match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (day === null || day.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`"${isoDate}" is not an ISO date`);
  }
  return day;
}

function instant(isoInstant: string): Date {
  const at = new Date(isoInstant);
  if (Number.isNaN(at.getTime())) throw new RangeError(`"${isoInstant}" is not an ISO instant`);
  return at;
}

function formatQuantity(
  locale: string,
  messages: InvoiceMessages,
  quantity: string,
  unit: QuantityUnit | null,
  proration: string | null,
): string {
  const value = decimal(quantity);
  switch (unit) {
    case 'seconds':
      return formatDuration(value);
    case 'bytes':
      return formatVolume(locale, value);
    case 'days':
      return messages.days(proration ?? formatExactDecimal(locale, value));
    default:
      return formatExactDecimal(locale, value);
  }
}

/**
 * Call time as a clock reads it, `2:05:30` (hours unbounded, never wrapped into days), rounded
 * half-up to the second: the way telephone bills have always shown it, the same in every locale.
 */
function formatDuration(value: Decimal): string {
  const seconds = divideRounded(value.coefficient, pow10(value.scale), 'half-up');
  const sign = seconds < 0n ? '-' : '';
  const total = seconds < 0n ? -seconds : seconds;
  const minutes = String((total % 3600n) / 60n).padStart(2, '0');
  const rest = String(total % 60n).padStart(2, '0');
  return `${sign}${total / 3600n}:${minutes}:${rest}`;
}

const KILOBYTE = 1_000n;
const MEGABYTE = 1_000_000n;
const GIGABYTE = 1_000_000_000n;

/**
 * Data volume in decimal units (1 MB = 1,000,000 bytes), as operators sell it, with 2 decimals
 * rounded half-up; Intl supplies the unit's local name (`Go` in French).
 */
function formatVolume(locale: string, bytes: Decimal): string {
  const magnitude = bytes.coefficient < 0n ? -bytes.coefficient : bytes.coefficient;
  const whole = magnitude / pow10(bytes.scale);
  const [unit, unitBytes] =
    whole >= GIGABYTE
      ? (['gigabyte', GIGABYTE] as const)
      : whole >= MEGABYTE
        ? (['megabyte', MEGABYTE] as const)
        : (['kilobyte', KILOBYTE] as const);
  const hundredths = divideRounded(bytes.coefficient * 100n, unitBytes * pow10(bytes.scale), 'half-up');
  const format = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return format.format(formatScaled(hundredths, 2) as `${number}`);
}

/** Intl rejects more fraction digits than this. */
const MAX_INTL_FRACTION_DIGITS = 20;

function formatExactDecimal(locale: string, value: Decimal): string {
  const format = new Intl.NumberFormat(locale, {
    maximumFractionDigits: Math.min(Math.max(value.scale, 0), MAX_INTL_FRACTION_DIGITS),
  });
  return format.format(formatScaled(value.coefficient, value.scale) as `${number}`);
}

/**
 * The locale's percent style on the rate divided by 100 exactly (moving the decimal point of the
 * text, not dividing a float), so 7.5 prints as `7,5 %`, never `7,499999 %`.
 */
function formatPercent(locale: string, ratePercent: string): string {
  const rate = decimal(ratePercent);
  const format = new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: Math.min(Math.max(rate.scale, 0), MAX_INTL_FRACTION_DIGITS),
  });
  return format.format(formatScaled(rate.coefficient, rate.scale + 2) as `${number}`);
}
