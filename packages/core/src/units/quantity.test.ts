import { describe, expect, it } from 'vitest';
import { parseQuantity, type Quantity, quantityBaseUnits, quantityDimension } from './quantity.js';

describe('parseQuantity', () => {
  it.each<[string | number, Quantity]>([
    [0, { kind: 'count', count: 0 }],
    [3, { kind: 'count', count: 3 }],
    ['3', { kind: 'count', count: 3 }],
    [' 1500 ', { kind: 'count', count: 1_500 }],
    ['0', { kind: 'count', count: 0 }],
    ['1500B', { kind: 'volume', volumeBytes: 1_500 }],
    ['1MB', { kind: 'volume', volumeBytes: 1_000_000 }],
    ['1.5 GiB', { kind: 'volume', volumeBytes: 1_610_612_736 }],
    ['1kB', { kind: 'volume', volumeBytes: 1_000 }],
    ['1KiB', { kind: 'volume', volumeBytes: 1_024 }],
    ['1m', { kind: 'duration', durationMs: 60_000 }],
    ['45s', { kind: 'duration', durationMs: 45_000 }],
    ['1m30s', { kind: 'duration', durationMs: 90_000 }],
    ['500ms', { kind: 'duration', durationMs: 500 }],
    ['PT1M', { kind: 'duration', durationMs: 60_000 }],
    ['P1DT2H', { kind: 'duration', durationMs: 93_600_000 }],
    [' 0s ', { kind: 'duration', durationMs: 0 }],
  ])('%j is %j', (input, quantity) => {
    expect(parseQuantity(input)).toEqual({ ok: true, value: quantity });
  });

  it.each<[string | number, string]>([
    ['1M', 'duration'],
    ['1Mb', 'duration'],
    ['', 'duration'],
    ['abc', 'duration'],
    ['-3', 'duration'],
    ['1.5', 'duration'],
    ['1.5B', 'data volume'],
    ['1XB', 'data volume'],
    ['0.0001s', 'duration'],
    ['P1M', 'duration'],
    [-1, 'count'],
    [1.5, 'count'],
    [Number.NaN, 'count'],
    ['99999999999999999', 'count'],
  ])('rejects %j, explaining as a %s', (input, detail) => {
    const result = parseQuantity(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_quantity');
      expect(result.error.message).toContain(typeof input === 'string' ? `"${input}"` : String(input));
      expect(result.error.message).toContain(detail);
    }
  });
});

describe('quantityDimension and quantityBaseUnits', () => {
  it.each<[Quantity, 'time' | 'amount', number]>([
    [{ kind: 'duration', durationMs: 90_000 }, 'time', 90_000],
    [{ kind: 'volume', volumeBytes: 1_024 }, 'amount', 1_024],
    [{ kind: 'count', count: 3 }, 'amount', 3],
  ])('%j is %s in %s base units', (quantity, dimension, baseUnits) => {
    expect(quantityDimension(quantity)).toBe(dimension);
    expect(quantityBaseUnits(quantity)).toBe(baseUnits);
  });
});
