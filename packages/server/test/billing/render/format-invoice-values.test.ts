import { describe, expect, it } from 'vitest';
import { formatInvoiceValues } from '../../../src/billing/render/format-invoice-values.js';
import {
  invoiceMessages,
  resolveInvoiceLanguage,
  serviceName,
} from '../../../src/billing/render/invoice-messages.js';

function formats(locale: string, language = locale) {
  return formatInvoiceValues({
    locale,
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    messages: invoiceMessages(language),
  });
}

describe('formatInvoiceValues', () => {
  it.each([
    ['de-DE', '31.03.2026'],
    ['en-US', 'Mar 31, 2026'],
    ['en-GB', '31 Mar 2026'],
    ['fr-FR', '31 mars 2026'],
    // A zone west of UTC would shift a midnight instant to the day before.
    ['es-MX', '31 mar 2026'],
  ])('formats an ISO day in %s as that day', (locale, expected) => {
    expect(formats(locale).date('2026-03-31')).toBe(expected);
  });

  it('refuses a day that does not exist', () => {
    expect(() => formats('en-US').date('2026-02-30')).toThrow(RangeError);
  });

  it.each([
    ['7530', '2:05:30'],
    ['59.5', '0:01:00'],
    ['0', '0:00:00'],
    ['360000', '100:00:00'],
    ['-65', '-0:01:05'],
  ])('writes %s seconds as %s', (seconds, expected) => {
    expect(formats('en-US').quantity(seconds, 'seconds')).toBe(expected);
  });

  it.each([
    ['en-US', '1234567890', '1.23 GB'],
    ['en-US', '1500000', '1.50 MB'],
    ['en-US', '999', '1.00 kB'],
    ['de-DE', '1234567890', '1,23\u00a0GB'],
    ['fr-FR', '1235000000', '1,24\u202fGo'],
  ])('writes bytes in decimal units (%s, %s)', (locale, bytes, expected) => {
    expect(formats(locale).quantity(bytes, 'bytes')).toBe(expected);
  });

  it('groups counts and words prorated days', () => {
    expect(formats('en-US').quantity('1234567', 'messages')).toBe('1,234,567');
    expect(formats('de-DE').quantity('1234567', 'units')).toBe('1.234.567');
    expect(formats('en-US').quantity('12', 'days', '12/31')).toBe('12/31 days');
    expect(formats('de-DE').quantity('12', 'days', '12/31')).toBe('12/31 Tage');
  });

  it.each([
    ['en-US', '19', '19%'],
    ['en-US', '7.5', '7.5%'],
    ['de-DE', '19', '19\u00a0%'],
    ['de-DE', '7.25', '7,25\u00a0%'],
    ['fr-FR', '5.5', '5,5\u00a0%'],
    ['en-US', '0.0001', '0.0001%'],
  ])('writes a %s rate of %s percent exactly', (locale, rate, expected) => {
    expect(formats(locale).percent(rate)).toBe(expected);
  });

  it('formats money at the minor unit of the currency', () => {
    expect(formats('de-DE').money('1234560000')).toBe('1.234,56\u00a0€');
    expect(formats('fr-FR').money('-7745000')).toMatch(/^-7,75\u00a0€$/);
  });

  it('formats an instant in the account time zone', () => {
    expect(formats('de-DE').instant('2026-03-01T08:00:00.000Z')).toBe('01.03.2026, 09:00:00');
  });

  it('falls back to English formats for a locale Intl cannot read', () => {
    expect(formats('not a locale!', 'en').locale).toBe('en');
  });
});

describe('invoice messages', () => {
  it.each([
    ['es-MX', 'es'],
    ['fr_CA', 'fr'],
    ['DE-at', 'de'],
    ['it', 'en'],
    ['', 'en'],
  ])('words %s in %s', (tag, language) => {
    expect(resolveInvoiceLanguage(tag)).toBe(language);
  });

  it('translates the known services and prints a custom one as it is', () => {
    expect(serviceName(invoiceMessages('de'), 'call')).toBe('Anrufe');
    expect(serviceName(invoiceMessages('fr'), 'data')).toBe('Données');
    expect(serviceName(invoiceMessages('es'), 'iot-telemetry')).toBe('iot-telemetry');
    expect(serviceName(invoiceMessages('en'), 'constructor')).toBe('constructor');
  });
});
