import { formatMoney, getCurrency, money, parseMoney } from '@tollgate/core';
import type { PlaceholderKind } from './notification-events.js';

export interface NotificationFormatContext {
  /** The customer's language tag (de, de-AT, es-MX): how numbers, amounts and days are written. */
  readonly locale: string;
  /** Amounts without a currency of their own (data.currency) are in this one: the account's. */
  readonly currency: string | null;
  /** The account's IANA zone, for instants. */
  readonly timeZone: string;
}

/**
 * The text of each placeholder from an event's data, formatted for the customer: amounts with
 * their currency through Intl.NumberFormat (from exact decimal text, never a float), days through
 * Intl.DateTimeFormat. A value that is absent or cannot be read is left out: the placeholder is
 * then reported missing by the renderer, never shown as "undefined" or "NaN".
 */
export function formatNotificationValues(
  placeholders: Readonly<Record<string, PlaceholderKind>>,
  data: Readonly<Record<string, unknown>>,
  context: NotificationFormatContext,
): Record<string, string> {
  const locale = usableLocale(context.locale);
  const currency = typeof data.currency === 'string' ? data.currency : context.currency;
  const values: Record<string, string> = {};
  for (const [name, kind] of Object.entries(placeholders)) {
    const formatted = formatValue(kind, name, data, { locale, currency, timeZone: context.timeZone });
    if (formatted !== null) values[name] = formatted;
  }
  return values;
}

function formatValue(
  kind: PlaceholderKind,
  name: string,
  data: Readonly<Record<string, unknown>>,
  context: { locale: string; currency: string | null; timeZone: string },
): string | null {
  const raw = data[name];
  switch (kind) {
    case 'text':
      return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'bigint'
        ? String(raw)
        : null;
    case 'money':
      return formatAmount(raw, data[`${name}Micros`], context.currency, context.locale);
    case 'date':
      return typeof raw === 'string' ? formatDay(raw, context.locale, context.timeZone) : null;
    case 'time':
      return typeof raw === 'string' ? formatTime(raw, context.locale, context.timeZone) : null;
    case 'percent': {
      const value = numberOf(raw);
      return value === null
        ? null
        : new Intl.NumberFormat(context.locale, { style: 'percent', maximumFractionDigits: 2 }).format(
            value / 100,
          );
    }
    case 'number': {
      const value = numberOf(raw);
      return value === null
        ? null
        : new Intl.NumberFormat(context.locale, { maximumFractionDigits: 2 }).format(value);
    }
  }
}

function formatAmount(
  decimalText: unknown,
  micros: unknown,
  currency: string | null,
  locale: string,
): string | null {
  if (currency === null || getCurrency(currency) === undefined) return null;
  if (typeof micros === 'bigint') return formatMoney(money(micros, currency), locale);
  if (typeof micros === 'string' && /^-?\d{1,19}$/.test(micros))
    return formatMoney(money(BigInt(micros), currency), locale);
  if (typeof decimalText !== 'string') return null;
  const parsed = parseMoney(decimalText, currency);
  return parsed.ok ? formatMoney(parsed.value, locale) : null;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An ISO day as the locale writes it ("15. April 2026"); formatted as a UTC midnight in UTC, since
 * the day is already the account's day. An ISO instant is shown as its day in the account's zone.
 */
function formatDay(text: string, locale: string, timeZone: string): string | null {
  const match = ISO_DAY.exec(text);
  if (match !== null) {
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) return null;
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(day);
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(instant);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
  }
}

/**
 * An ISO instant as the locale writes a day and a time ("15. April 2026 um 14:30 MESZ"), in the
 * zone given (UTC when Intl does not know it), with the zone's name: a reader elsewhere then
 * knows which 14:30 is meant.
 */
function formatTime(text: string, locale: string, timeZone: string): string | null {
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const format = (zone: string) =>
    new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: zone,
    }).format(instant);
  try {
    return format(timeZone);
  } catch {
    return format('UTC');
  }
}

function numberOf(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return null;
}

/** A stored language tag Intl does not know must not stop a message. */
export function usableLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}
