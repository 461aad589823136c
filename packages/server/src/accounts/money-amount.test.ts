import { describe, expect, it } from 'vitest';
import { formatMoneyAmount, parseMoneyAmount } from './money-amount.js';

describe('parseMoneyAmount and formatMoneyAmount', () => {
  it.each([
    ['0.1', 'EUR', 100_000n, '0.10'],
    ['250', 'EUR', 250_000_000n, '250.00'],
    ['250.00', 'EUR', 250_000_000n, '250.00'],
    ['0.000001', 'EUR', 1n, '0.000001'],
    ['1000', 'JPY', 1_000_000_000n, '1000'],
    ['1.5', 'JPY', 1_500_000n, '1.5'],
    ['0.125', 'KWD', 125_000n, '0.125'],
    ['0', 'EUR', 0n, '0.00'],
    ['9223372036854.775807', 'EUR', 9_223_372_036_854_775_807n, '9223372036854.775807'],
  ])('"%s" %s is %d micro-units, shown as "%s"', (text, currency, micros, shown) => {
    expect(parseMoneyAmount(text, currency)).toEqual({ ok: true, micros });
    expect(formatMoneyAmount(micros, currency)).toBe(shown);
  });

  it.each([
    ['1e3', 'EUR'],
    ['-1', 'EUR'],
    ['0.0000001', 'EUR'],
    ['9223372036854.775808', 'EUR'],
    ['1', 'XYZ'],
    ['', 'EUR'],
  ])('refuses "%s" %s', (text, currency) => {
    expect(parseMoneyAmount(text, currency).ok).toBe(false);
  });
});
