import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRounded, divideRoundedExactly, ROUNDING_MODES, type RoundingMode } from './rounding-mode.js';

describe('divideRounded', () => {
  it.each<[bigint, bigint, RoundingMode, bigint]>([
    [7n, 2n, 'up', 4n],
    [7n, 2n, 'down', 3n],
    [7n, 2n, 'half-up', 4n],
    [7n, 2n, 'half-even', 4n],
    [5n, 2n, 'half-even', 2n],
    [-7n, 2n, 'up', -4n],
    [-7n, 2n, 'down', -3n],
    [-5n, 2n, 'half-up', -3n],
    [-5n, 2n, 'half-even', -2n],
    [7n, -2n, 'up', -4n],
    [10n, 3n, 'half-up', 3n],
    [11n, 3n, 'half-up', 4n],
    [6n, 3n, 'up', 2n],
    [0n, 5n, 'up', 0n],
  ])('%s / %s rounded %s is %s', (n, d, mode, expected) => {
    expect(divideRounded(n, d, mode)).toBe(expected);
  });

  it('refuses to divide by zero', () => {
    expect(() => divideRounded(1n, 0n, 'up')).toThrow(RangeError);
  });

  it('is within one of the exact quotient, in the direction its mode says', () => {
    fc.assert(
      fc.property(
        fc.bigInt(),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.constantFrom(...ROUNDING_MODES),
        (n, d, mode) => {
          const q = divideRounded(n, d, mode);
          const error = q * d - n; // how far q·d overshoots n
          expect(error < 0n ? -error : error).toBeLessThan(d);
          if (mode === 'up') expect(n >= 0n ? error >= 0n : error <= 0n).toBe(true);
          if (mode === 'down') expect(n >= 0n ? error <= 0n : error >= 0n).toBe(true);
          if (mode === 'half-up' || mode === 'half-even')
            expect((error < 0n ? -error : error) * 2n).toBeLessThanOrEqual(d);
        },
      ),
    );
  });
});

describe('divideRoundedExactly', () => {
  it('agrees with divideRounded for every non-negative operand below 2^52', () => {
    const operand = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.maxSafeNat().filter((n) => n < 2 ** 52),
    );
    fc.assert(
      fc.property(
        operand,
        operand.filter((d) => d > 0),
        fc.constantFrom(...ROUNDING_MODES),
        (n, d, mode) => {
          expect(divideRoundedExactly(n, d, mode)).toBe(Number(divideRounded(BigInt(n), BigInt(d), mode)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees next to exact multiples, where a double quotient would round across an integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 26 }),
        fc.integer({ min: 1, max: 2 ** 25 }),
        fc.constantFrom(0, 1, -1, 0.5),
        fc.constantFrom(...ROUNDING_MODES),
        (d, q, shift, mode) => {
          const n = q * d + (shift === 0.5 ? Math.floor(d / 2) : shift);
          if (n < 0) return;
          expect(divideRoundedExactly(n, d, mode)).toBe(Number(divideRounded(BigInt(n), BigInt(d), mode)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('declines what it cannot do exactly', () => {
    expect(divideRoundedExactly(2 ** 52, 3, 'up')).toBeNull();
    expect(divideRoundedExactly(5, 0, 'up')).toBeNull();
    expect(divideRoundedExactly(-5, 2, 'up')).toBeNull();
    expect(divideRoundedExactly(0.5, 2, 'up')).toBeNull();
  });
});
