import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkThresholdLevels,
  crossedLevels,
  percentOf,
  type Ratio,
  ratio,
  resolveThresholdLevels,
  type ThresholdRule,
  unusualUsageFactor,
} from './threshold-rules.js';

const pct = (value: number): Ratio => ratio(BigInt(value));

describe('crossedLevels', () => {
  const levels = ['50', '80', '100'];
  it.each([
    [70, 85, ['80']],
    [85, 86, []],
    [40, 100, ['50', '80', '100']],
    [0, 49, []],
    [49, 50, ['50']],
    [50, 50, []],
    [100, 120, []],
    [90, 80, []],
  ])('%d%% → %d%% crosses %j', (before, after, expected) => {
    expect(crossedLevels(levels, pct(before), pct(after))).toEqual(expected);
  });

  it('counts every level reached when nothing was seen before', () => {
    expect(crossedLevels(levels, null, pct(85))).toEqual(['50', '80']);
    expect(crossedLevels(levels, null, pct(10))).toEqual([]);
  });

  it('compares exactly, with decimal levels and fractional observations', () => {
    // 8 of 10 minutes: exactly 80 %.
    expect(crossedLevels(levels, null, percentOf(480n, 600n)!)).toEqual(['50', '80']);
    // 479 of 600 s: 79.83 %.
    expect(crossedLevels(levels, null, percentOf(479n, 600n)!)).toEqual(['50']);
    expect(crossedLevels(['79.5'], null, percentOf(477n, 600n)!)).toEqual(['79.5']);
    expect(crossedLevels(['79.5'], null, percentOf(476n, 600n)!)).toEqual([]);
  });

  it('crosses falling levels downwards (balances below an amount)', () => {
    const amounts = ['5000000', '1000000'];
    expect(crossedLevels(amounts, ratio(6_000_000n), ratio(4_000_000n), 'falling')).toEqual(['5000000']);
    expect(crossedLevels(amounts, ratio(4_000_000n), ratio(3_000_000n), 'falling')).toEqual([]);
    expect(crossedLevels(amounts, null, ratio(500_000n), 'falling')).toEqual(['5000000', '1000000']);
    expect(crossedLevels(amounts, ratio(500_000n), ratio(9_000_000n), 'falling')).toEqual([]);
  });

  it('crosses exactly the levels between two observations (property)', () => {
    const level = fc.integer({ min: 1, max: 1000 });
    fc.assert(
      fc.property(
        fc.uniqueArray(level, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 0, max: 1200 }),
        (values, a, b, c) => {
          const texts = values.map(String);
          const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
          const once = crossedLevels(texts, pct(x), pct(z));
          const twice = [...crossedLevels(texts, pct(x), pct(y)), ...crossedLevels(texts, pct(y), pct(z))];
          // Going up in two steps crosses the same levels as in one, each once.
          expect([...twice].sort()).toEqual([...once].sort());
          for (const text of once) expect(Number(text) > x && Number(text) <= z).toBe(true);
          expect(once.length).toBe(values.filter((v) => v > x && v <= z).length);
          // Nothing is crossed going down or standing still.
          expect(crossedLevels(texts, pct(z), pct(x))).toEqual([]);
        },
      ),
    );
  });
});

describe('resolveThresholdLevels', () => {
  const target = { accountId: 'acc', subscriptionId: 'sub', planId: 'plan' };
  const rule = (scope: ThresholdRule['scope'], scopeId: string | null, levels: string[], enabled = true) => ({
    scope,
    scopeId,
    kind: 'allowance_used' as const,
    levels,
    enabled,
  });
  it('takes the line, then the account, then the plan, then the tenant, then the defaults', () => {
    const all = [
      rule('tenant', null, ['10']),
      rule('plan', 'plan', ['20']),
      rule('account', 'acc', ['30']),
      rule('subscription', 'sub', ['40']),
    ];
    expect(resolveThresholdLevels(all, target, 'allowance_used')).toEqual(['40']);
    expect(resolveThresholdLevels(all.slice(0, 3), target, 'allowance_used')).toEqual(['30']);
    expect(resolveThresholdLevels(all.slice(0, 2), target, 'allowance_used')).toEqual(['20']);
    expect(resolveThresholdLevels(all.slice(0, 1), target, 'allowance_used')).toEqual(['10']);
    expect(resolveThresholdLevels([], target, 'allowance_used')).toEqual(['50', '80', '100']);
    expect(resolveThresholdLevels([], target, 'credit_used')).toEqual(['80', '100']);
    expect(resolveThresholdLevels([], target, 'cycle_spend')).toEqual([]);
  });
  it('ignores rules of other lines, accounts and plans; a disabled rule turns the kind off', () => {
    expect(resolveThresholdLevels([rule('subscription', 'other', ['1'])], target, 'allowance_used')).toEqual([
      '50',
      '80',
      '100',
    ]);
    expect(
      resolveThresholdLevels(
        [rule('tenant', null, ['10']), rule('account', 'acc', ['30'], false)],
        target,
        'allowance_used',
      ),
    ).toEqual([]);
    expect(
      resolveThresholdLevels([rule('plan', 'plan', ['20'])], { ...target, planId: null }, 'allowance_used'),
    ).toEqual(['50', '80', '100']);
  });
});

describe('checkThresholdLevels', () => {
  it.each([
    ['allowance_used', ['50', '80', '100'], true],
    ['allowance_used', ['0'], false],
    ['allowance_used', ['-5'], false],
    ['allowance_used', ['80', '80'], false],
    ['allowance_used', [], false],
    ['credit_used', ['99.5'], true],
    ['cycle_spend', ['20000000'], true],
    ['cycle_spend', ['0.5'], false],
    ['balance_below', ['5000000'], true],
    ['unusual_usage', ['3'], true],
    ['unusual_usage', ['1'], false],
    ['roaming_first_use', ['1'], true],
    ['allowance_used', ['abc'], false],
  ] as const)('%s %j ok: %s', (kind, levels, valid) => {
    expect(checkThresholdLevels(kind, levels).ok).toBe(valid);
  });
});

describe('unusualUsageFactor', () => {
  it('compares a day with the average of the days before it', () => {
    // 30 days at 1.00 a day, then 5.00 in a day: five times the average.
    const factor = unusualUsageFactor(5_000_000n, 30_000_000n);
    expect(crossedLevels(['3', '5', '6'], null, factor!)).toEqual(['3', '5']);
  });
  it('ignores small days and lines with no history', () => {
    expect(unusualUsageFactor(900_000n, 1_000n)).toBeNull();
    expect(unusualUsageFactor(50_000_000n, 0n)).toBeNull();
  });
});
