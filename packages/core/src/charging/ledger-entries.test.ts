import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../rating/zone-clock.js';
import { creditEntries, debitEntries, reversalEntries, unbalancedUnits } from './ledger-entries.js';
import { capPeriodStartMs, capRemainingMicros, rollCapPeriod } from './spending-cap.js';

describe('ledger entries', () => {
  it('balance per unit, and reversals undo them', () => {
    const charge = [
      ...debitEntries(
        [
          { bucketId: 'a', amount: 30n },
          { bucketId: 'b', amount: 12n },
        ],
        'EUR',
        'usage',
      ),
      ...debitEntries([{ bucketId: 'm', amount: 60n }], 'seconds', 'usage'),
    ];
    expect(charge).toContainEqual({ bucketId: null, book: 'usage', unit: 'EUR', amount: 42n });
    expect(unbalancedUnits(charge)).toEqual([]);
    expect(unbalancedUnits([...charge, ...reversalEntries(charge)])).toEqual([]);
    expect(unbalancedUnits(creditEntries('a', 'EUR', 5n, 'topup'))).toEqual([]);
    expect(unbalancedUnits([{ bucketId: 'a', book: 'account', unit: 'EUR', amount: 1n }])).toEqual(['EUR']);
  });
});

describe('spending caps', () => {
  const berlin = new ZoneClock('Europe/Berlin');

  it('count from the start of the local day or month', () => {
    const now = Date.parse('2026-03-29T12:00:00Z'); // the day Berlin moves to summer time
    expect(new Date(capPeriodStartMs(berlin, 'day', now)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(capPeriodStartMs(berlin, 'month', now)).toISOString()).toBe('2026-02-28T23:00:00.000Z');
  });

  it('start again when the period rolls over', () => {
    const cap = {
      subscriptionId: 'line',
      limitMicros: 10_000_000n,
      period: 'month' as const,
      periodStartMs: Date.parse('2026-02-28T23:00:00Z'),
      spentMicros: 9_000_000n,
      reservedMicros: 500_000n,
    };
    expect(capRemainingMicros(cap)).toBe(500_000n);
    rollCapPeriod(cap, berlin, Date.parse('2026-04-01T08:00:00Z'));
    expect(cap.spentMicros).toBe(0n);
    expect(capRemainingMicros(cap)).toBe(9_500_000n);
    expect(capRemainingMicros(undefined)).toBeNull();
  });
});
