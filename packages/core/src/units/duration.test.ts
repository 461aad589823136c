import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['0ms', 0],
    ['45s', 45_000],
    ['60s', 60_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['2m10s', 130_000],
    ['1h', 3_600_000],
    ['1h30m15s', 5_415_000],
    ['500ms', 500],
    ['1.5s', 1_500],
    ['0.001s', 1],
    ['1.5h', 5_400_000],
    ['2000us', 2],
    ['1000000ns', 1],
    ['3000µs', 3],
    ['1s500ms', 1_500],
    ['30s1m', 90_000],
    ['  45s  ', 45_000],
    ['\t1m\n', 60_000],
    ['PT45S', 45_000],
    ['PT1M', 60_000],
    ['PT1H2M3.5S', 3_723_500],
    ['PT1H2M3,5S', 3_723_500],
    ['PT0,5H1,5S', 1_801_500],
    ['P1DT2H', 93_600_000],
    ['P1D', 86_400_000],
    ['P2W', 1_209_600_000],
    ['PT0S', 0],
    ['PT0.5H', 1_800_000],
    ['pt45s', 45_000],
    ['P3652DT12H', MAX_DURATION_MS],
    ['87660h', MAX_DURATION_MS],
  ])('%j is %s ms', (text, durationMs) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: durationMs });
  });

  it.each([
    ['', 'expected'],
    ['   ', 'expected'],
    ['-1s', 'expected'],
    ['+1s', 'expected'],
    ['45', 'needs a unit'],
    ['1.5', 'needs a unit'],
    ['s', 'expected'],
    ['1', 'needs a unit'],
    ['1M', 'expected'],
    ['1H', 'expected'],
    ['1 m', 'expected'],
    ['1m 30s', 'expected'],
    ['1d', 'expected'],
    ['1.s', 'expected'],
    ['.5s', 'expected'],
    ['abc', 'expected'],
    ['1h30', 'expected'],
    ['0.0001s', 'finer than one millisecond'],
    ['1.5ms', 'finer than one millisecond'],
    ['1500us', 'finer than one millisecond'],
    ['1ns', 'finer than one millisecond'],
    ['PT0.0001S', 'finer than one millisecond'],
    ['P1Y', 'no fixed length'],
    ['P1M', 'no fixed length'],
    ['P1Y2M3DT4H', 'no fixed length'],
    ['P', 'expected'],
    ['PT', 'expected'],
    ['P1DT', 'expected'],
    ['PT1H1H', 'expected'],
    ['PT1S1M', 'expected'],
    ['-PT1S', 'expected'],
    ['PT-1S', 'expected'],
    ['P1H', 'expected'],
    ['87661h', 'longer than 10 years'],
    ['P3653D', 'longer than 10 years'],
    ['99999999999999999999999h', 'longer than 10 years'],
    [`${'1'.repeat(64)}s`, 'expected'],
  ])('rejects %j (%s)', (text, reason) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_duration');
      expect(result.error.message).toContain(`"${text}"`);
      expect(result.error.message).toContain(reason);
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [1_005, '1.005s'],
    [45_000, '45s'],
    [60_000, '1m'],
    [130_000, '2m10s'],
    [3_600_000, '1h'],
    [3_600_500, '1h0.5s'],
    [5_415_000, '1h30m15s'],
    [93_600_000, '26h'],
    [MAX_DURATION_MS, '87660h'],
  ])('%s ms is %j', (durationMs, text) => {
    expect(formatDuration(durationMs)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('throws on %s', (durationMs) => {
    expect(() => formatDuration(durationMs)).toThrow(RangeError);
  });

  it('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (durationMs) => {
        expect(parseDuration(formatDuration(durationMs))).toEqual({ ok: true, value: durationMs });
      }),
    );
  });
});
