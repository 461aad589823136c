import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BucketState, UsageScope } from './balance-bucket.js';
import { settleRecordedUsage } from './settle-recorded-usage.js';
import type { UsagePrice } from './usage-price.js';

const SCOPE: UsageScope = {
  subscriptionId: 'line-1',
  service: 'call',
  unit: 'seconds',
  currency: 'EUR',
  nowMs: 1_000,
};

function bucket(partial: Partial<BucketState> & { id: string }): BucketState {
  return {
    kind: 'money',
    unit: 'EUR',
    service: null,
    subscriptionId: null,
    priority: 1000,
    validFromMs: 0,
    validToMs: null,
    floor: 0n,
    balance: 0n,
    reserved: 0n,
    ...partial,
  };
}

/** 0.02 connect fee, then 0.05 a minute billed by the minute. */
const perMinute: UsagePrice = (units) => ({ ok: true, micros: 20_000n + ((units + 59n) / 60n) * 50_000n });

describe('settleRecordedUsage', () => {
  it('takes a prepaid call from the balance and lowers the working copy', () => {
    const main = bucket({ id: 'main', balance: 1_000_000n });
    const outcome = settleRecordedUsage([main], {
      scope: SCOPE,
      units: 61n,
      price: perMinute,
      payment: 'balance',
    });
    expect(outcome).toEqual({
      ok: true,
      settlement: {
        listMicros: 120_000n,
        allowanceTaken: [],
        allowanceUnits: 0n,
        chargedMicros: 120_000n,
        moneyTaken: [{ bucketId: 'main', amount: 120_000n }],
        unpaidMicros: 0n,
      },
    });
    expect(main.balance).toBe(880_000n);
  });

  it('never takes a prepaid balance below its floor and keeps the rest as unpaid', () => {
    const main = bucket({ id: 'main', balance: 50_000n });
    const outcome = settleRecordedUsage([main], {
      scope: SCOPE,
      units: 61n,
      price: perMinute,
      payment: 'balance',
    });
    expect(outcome.ok && outcome.settlement.unpaidMicros).toBe(70_000n);
    expect(main.balance).toBe(0n);
  });

  it('spends allowances first and prices only the rest in money', () => {
    const minutes = bucket({ id: 'minutes', kind: 'allowance', unit: 'seconds', balance: 60n, priority: 10 });
    const main = bucket({ id: 'main', balance: 0n, floor: -10_000_000n });
    const outcome = settleRecordedUsage([main, minutes], {
      scope: SCOPE,
      units: 90n,
      price: perMinute,
      payment: 'invoice',
    });
    expect(outcome).toEqual({
      ok: true,
      settlement: {
        listMicros: 120_000n,
        allowanceTaken: [{ bucketId: 'minutes', amount: 60n }],
        allowanceUnits: 60n,
        chargedMicros: 70_000n,
        moneyTaken: [],
        unpaidMicros: 0n,
      },
    });
    expect(minutes.balance).toBe(0n);
    expect(main.balance).toBe(0n);
  });

  it('costs nothing in money when an allowance covers the whole usage', () => {
    const minutes = bucket({ id: 'minutes', kind: 'allowance', unit: 'seconds', balance: 600n });
    const outcome = settleRecordedUsage([minutes], {
      scope: SCOPE,
      units: 90n,
      price: perMinute,
      payment: 'balance',
    });
    expect(outcome.ok && outcome.settlement.chargedMicros).toBe(0n);
    expect(outcome.ok && outcome.settlement.unpaidMicros).toBe(0n);
  });

  it('passes a rating failure on as a value', () => {
    const failing: UsagePrice = () => ({ ok: false, code: 'rating_failed', message: 'no rate' });
    expect(settleRecordedUsage([], { scope: SCOPE, units: 1n, price: failing, payment: 'invoice' })).toEqual({
      ok: false,
      code: 'rating_failed',
      message: 'no rate',
    });
  });

  it('conserves money: taken plus unpaid is what is owed, and no bucket passes its floor', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 5_000_000n }),
        fc.bigInt({ min: 0n, max: 600n }),
        fc.bigInt({ min: 0n, max: 36_000n }),
        (balance, allowance, units) => {
          const main = bucket({ id: 'main', balance });
          const minutes = bucket({ id: 'minutes', kind: 'allowance', unit: 'seconds', balance: allowance });
          const outcome = settleRecordedUsage([main, minutes], {
            scope: SCOPE,
            units,
            price: perMinute,
            payment: 'balance',
          });
          if (!outcome.ok) return false;
          const { settlement } = outcome;
          const taken = settlement.moneyTaken.reduce((sum, hold) => sum + hold.amount, 0n);
          return (
            taken + settlement.unpaidMicros === settlement.chargedMicros &&
            settlement.chargedMicros <= settlement.listMicros &&
            main.balance >= 0n &&
            minutes.balance >= 0n &&
            settlement.allowanceUnits <= units
          );
        },
      ),
    );
  });
});
