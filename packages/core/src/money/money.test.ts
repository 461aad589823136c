import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  allocateMoney,
  compareMoney,
  formatMoney,
  formatMoneyDecimal,
  type Money,
  money,
  multiplyMoney,
  negateMoney,
  parseMoney,
  roundMoneyToMinorUnit,
  subtractMoney,
  sumMoney,
} from './money.js';
import { ROUNDING_MODES, type RoundingMode } from './rounding-mode.js';

const eur = (amountMicros: bigint): Money => money(amountMicros, 'EUR');
const NBSP = '\u00a0';

describe('money', () => {
  it('keeps the amount and currency', () => {
    expect(money(550_000n, 'EUR')).toEqual({ amountMicros: 550_000n, currency: 'EUR' });
  });

  it.each(['eur', 'XYZ', '', 'HRK'])('throws on unknown currency %j', (currency) => {
    expect(() => money(1n, currency)).toThrow(RangeError);
  });
});

describe('parseMoney', () => {
  it.each([
    ['0', 'EUR', 0n],
    ['0.55', 'EUR', 550_000n],
    ['12.5', 'EUR', 12_500_000n],
    ['-3', 'USD', -3_000_000n],
    ['+0.000001', 'EUR', 1n],
    ['0.0000010', 'EUR', 1n],
    ['1.000000000', 'EUR', 1_000_000n],
    ['  7.25  ', 'JPY', 7_250_000n],
    ['12345678901234.56', 'EUR', 12_345_678_901_234_560_000n],
    ['1.234', 'KWD', 1_234_000n],
  ])('parses %j %s as %s micros', (text, currency, amountMicros) => {
    expect(parseMoney(text, currency)).toEqual({ ok: true, value: { amountMicros, currency } });
  });

  it.each([
    ['0.0000001', 'EUR', 'too_many_decimals'],
    ['1.1234567', 'EUR', 'too_many_decimals'],
    ['1', 'XYZ', 'unknown_currency'],
    ['1', 'eur', 'unknown_currency'],
    ['', 'EUR', 'invalid_decimal'],
    ['1,5', 'EUR', 'invalid_decimal'],
    ['1e3', 'EUR', 'invalid_decimal'],
    ['abc', 'EUR', 'invalid_decimal'],
    ['NaN', 'EUR', 'invalid_decimal'],
  ])('rejects %j %s with %s', (text, currency, code) => {
    const result = parseMoney(text, currency);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });
});

describe('addMoney, subtractMoney, negateMoney, sumMoney', () => {
  it.each([
    [550_000n, 450_000n, 1_000_000n, 100_000n],
    [0n, 0n, 0n, 0n],
    [-1n, 1n, 0n, -2n],
    [10n ** 30n, 1n, 10n ** 30n + 1n, 10n ** 30n - 1n],
  ])('%s and %s', (a, b, sum, difference) => {
    expect(addMoney(eur(a), eur(b))).toEqual(eur(sum));
    expect(subtractMoney(eur(a), eur(b))).toEqual(eur(difference));
  });

  it('throws on a currency mismatch', () => {
    expect(() => addMoney(eur(1n), money(1n, 'USD'))).toThrow(/currency mismatch/);
    expect(() => subtractMoney(eur(1n), money(1n, 'USD'))).toThrow(/currency mismatch/);
    expect(() => compareMoney(eur(1n), money(1n, 'USD'))).toThrow(/currency mismatch/);
    expect(() => sumMoney([eur(1n), money(1n, 'USD')], 'EUR')).toThrow(/currency mismatch/);
  });

  it.each([
    [5n, -5n],
    [-7n, 7n],
    [0n, 0n],
  ])('negates %s to %s', (amount, negated) => {
    expect(negateMoney(eur(amount))).toEqual(eur(negated));
  });

  it.each([
    [[], 0n],
    [[1n], 1n],
    [[100_000n, 200_000n, -50_000n], 250_000n],
  ])('sums %s to %s', (amounts, total) => {
    expect(sumMoney(amounts.map(eur), 'EUR')).toEqual(eur(total));
  });

  it('sums an empty list in the given currency', () => {
    expect(sumMoney([], 'JPY')).toEqual(money(0n, 'JPY'));
  });

  it('conserves: (a + b) - b = a and a + b = b + a', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), (a, b) => {
        expect(subtractMoney(addMoney(eur(a), eur(b)), eur(b))).toEqual(eur(a));
        expect(addMoney(eur(a), eur(b))).toEqual(addMoney(eur(b), eur(a)));
        expect(addMoney(eur(a), negateMoney(eur(b)))).toEqual(subtractMoney(eur(a), eur(b)));
      }),
    );
  });
});

describe('multiplyMoney', () => {
  it.each<[bigint, bigint, bigint, RoundingMode, bigint]>([
    [1_000_000n, 19n, 100n, 'down', 190_000n],
    [10n, 1n, 3n, 'down', 3n],
    [10n, 1n, 3n, 'up', 4n],
    [10n, 1n, 3n, 'half-up', 3n],
    [10n, 1n, 4n, 'half-up', 3n],
    [10n, 1n, 4n, 'half-even', 2n],
    [14n, 1n, 4n, 'half-even', 4n],
    [-10n, 1n, 3n, 'up', -4n],
    [-10n, 1n, 4n, 'half-up', -3n],
    [10n, -1n, 4n, 'half-up', -3n],
    [30_000_000n, 7n, 30n, 'half-even', 7_000_000n],
  ])('%s × %s/%s (%s) = %s', (amount, numerator, denominator, mode, expected) => {
    expect(multiplyMoney(eur(amount), numerator, denominator, mode)).toEqual(eur(expected));
  });

  it('throws on a zero denominator', () => {
    expect(() => multiplyMoney(eur(1n), 1n, 0n, 'up')).toThrow(RangeError);
  });

  it('is within one micro of the exact product and rounds in the mode’s direction', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(...ROUNDING_MODES),
        (amount, numerator, denominator, mode) => {
          const result = multiplyMoney(eur(amount), numerator, denominator, mode).amountMicros;
          const exactScaled = amount * numerator; // the exact product, times denominator
          const errorScaled = result * denominator - exactScaled;
          const abs = (x: bigint) => (x < 0n ? -x : x);
          expect(abs(errorScaled) < denominator).toBe(true);
          // Direction, measured on magnitudes: modes are symmetric around zero.
          const resultMagnitude = abs(result) * denominator;
          const exactMagnitude = abs(exactScaled);
          if (mode === 'down') expect(resultMagnitude <= exactMagnitude).toBe(true);
          if (mode === 'up') expect(resultMagnitude >= exactMagnitude).toBe(true);
          if (mode === 'half-up' || mode === 'half-even') {
            expect(abs(errorScaled) * 2n <= denominator).toBe(true);
          }
          if (mode === 'half-up' && abs(errorScaled) * 2n === denominator) {
            expect(resultMagnitude > exactMagnitude).toBe(true);
          }
          if (mode === 'half-even' && abs(errorScaled) * 2n === denominator) {
            expect(result % 2n).toBe(0n);
          }
        },
      ),
    );
  });
});

describe('roundMoneyToMinorUnit', () => {
  it.each<[string, bigint, RoundingMode, bigint]>([
    ['EUR', 1_234_567n, 'half-up', 1_230_000n],
    ['EUR', 1_235_000n, 'half-up', 1_240_000n],
    ['EUR', 1_225_000n, 'half-even', 1_220_000n],
    ['EUR', 1_225_000n, 'half-up', 1_230_000n],
    ['EUR', 1_220_001n, 'up', 1_230_000n],
    ['EUR', 1_229_999n, 'down', 1_220_000n],
    ['EUR', -1_235_000n, 'half-up', -1_240_000n],
    ['EUR', 1_230_000n, 'up', 1_230_000n],
    ['JPY', 1_500_000n, 'half-up', 2_000_000n],
    ['JPY', 2_500_000n, 'half-even', 2_000_000n],
    ['JPY', 1_000_001n, 'up', 2_000_000n],
    ['KWD', 1_234_500n, 'half-up', 1_235_000n],
    ['KWD', 1_234_499n, 'half-up', 1_234_000n],
    ['CLF', 1_234_550n, 'half-even', 1_234_600n],
    ['XAU', 1_234_567n, 'up', 1_234_567n],
    ['XDR', 1n, 'half-up', 1n],
  ])('%s %s (%s) becomes %s', (currency, amount, mode, expected) => {
    expect(roundMoneyToMinorUnit(money(amount, currency), mode)).toEqual(money(expected, currency));
  });
});

describe('allocateMoney', () => {
  it.each<[bigint, bigint[], bigint[]]>([
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [-100n, [1n, 1n, 1n], [-34n, -33n, -33n]],
    [5n, [3n, 7n], [2n, 3n]], // 1.5 and 3.5: equal remainders, the earlier part wins
    [1_000_000n, [70n, 30n], [700_000n, 300_000n]],
    [10n, [0n, 1n], [0n, 10n]],
    [1n, [1n, 1n, 1n, 1n], [1n, 0n, 0n, 0n]],
    [0n, [2n, 5n], [0n, 0n]],
    [11n, [1n, 2n, 3n, 4n], [1n, 2n, 3n, 5n]], // 1.1, 2.2, 3.3, 4.4: the largest remainder is 0.4
    [7n, [10n], [7n]],
  ])('splits %s by %s into %s', (amount, weights, parts) => {
    expect(allocateMoney(eur(amount), weights)).toEqual(parts.map(eur));
  });

  it.each<[string, bigint[]]>([
    ['no weights', []],
    ['a negative weight', [1n, -1n]],
    ['only zero weights', [0n, 0n]],
  ])('throws on %s', (_, weights) => {
    expect(() => allocateMoney(eur(100n), weights)).toThrow(RangeError);
  });

  it('parts sum exactly to the whole, each within one micro of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 }),
        (amount, weights) => {
          fc.pre(weights.some((weight) => weight > 0n));
          const parts = allocateMoney(eur(amount), weights);
          expect(sumMoney(parts, 'EUR')).toEqual(eur(amount));
          const totalWeight = weights.reduce((sum, weight) => sum + weight, 0n);
          parts.forEach((part, index) => {
            const error = part.amountMicros * totalWeight - amount * (weights[index] ?? 0n);
            expect((error < 0n ? -error : error) < totalWeight).toBe(true);
          });
        },
      ),
    );
  });
});

describe('compareMoney', () => {
  it.each([
    [1n, 2n, -1],
    [2n, 1n, 1],
    [5n, 5n, 0],
    [-5n, 5n, -1],
  ])('compares %s and %s as %s', (a, b, expected) => {
    expect(compareMoney(eur(a), eur(b))).toBe(expected);
  });
});

describe('formatMoneyDecimal', () => {
  it.each([
    [550_000n, '0.55'],
    [0n, '0'],
    [1n, '0.000001'],
    [-1n, '-0.000001'],
    [3_000_000n, '3'],
    [-1_400_000n, '-1.4'],
    [12_345_678_901_234_560_000n, '12345678901234.56'],
  ])('%s micros is %j', (amount, text) => {
    expect(formatMoneyDecimal(eur(amount))).toBe(text);
  });

  it('round-trips through parseMoney', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (amount) => {
        expect(parseMoney(formatMoneyDecimal(eur(amount)), 'EUR')).toEqual({ ok: true, value: eur(amount) });
      }),
    );
  });
});

describe('formatMoney', () => {
  const big = parseMoney('12345678901234.56', 'EUR');

  it.each([
    ['de-DE', `12.345.678.901.234,56${NBSP}€`],
    ['en-US', '€12,345,678,901,234.56'],
  ])('formats 12345678901234.56 EUR exactly in %s', (locale, expected) => {
    expect(big.ok && formatMoney(big.value, locale)).toBe(expected);
  });

  it.each<[bigint, string, string, 'currency' | 'all' | undefined, string]>([
    [1_234_000_000n, 'JPY', 'en-US', undefined, '¥1,234'],
    [1_234_500_000n, 'JPY', 'en-US', undefined, '¥1,235'],
    [1_234_000_000n, 'JPY', 'ja-JP', undefined, '￥1,234'],
    [1_234_567_000n, 'JPY', 'en-US', 'all', '¥1,234.567'],
    [0n, 'EUR', 'en-US', undefined, '€0.00'],
    [550_000n, 'EUR', 'en-US', undefined, '€0.55'],
    [555_000n, 'EUR', 'en-US', undefined, '€0.56'],
    [-555_000n, 'EUR', 'en-US', undefined, '-€0.56'],
    [555_000n, 'EUR', 'en-US', 'all', '€0.555'],
    [1n, 'EUR', 'en-US', 'all', '€0.000001'],
    [1_000_000n, 'EUR', 'en-US', 'all', '€1.00'],
    [1_234_500n, 'KWD', 'en-US', undefined, 'KWD 1.235'],
    [1_000_000n, 'IQD', 'en-US', undefined, 'IQD 1.000'],
    [1_500_000n, 'XAU', 'en-US', undefined, 'XAU 1.5'],
    [1_000_000n, 'XAU', 'en-US', undefined, 'XAU 1'],
    [2_000_000n, 'XAD', 'en-US', undefined, 'XAD 2.00'],
  ])('%s micros %s in %s (%s) is %j', (amount, currency, locale, minorUnits, expected) => {
    const options = minorUnits === undefined ? {} : { minorUnits };
    expect(formatMoney(money(amount, currency), locale, options).replaceAll(NBSP, ' ')).toBe(expected);
  });

  it('keeps every digit of amounts far beyond 2^53 micro-units', () => {
    const amount = money(123_456_789_012_345_678_901_234_567n, 'EUR');
    expect(formatMoney(amount, 'en-US', { minorUnits: 'all' })).toBe('€123,456,789,012,345,678,901.234567');
  });
});
