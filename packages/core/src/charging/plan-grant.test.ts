import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableIn, type BucketState, type UsageScope } from './balance-bucket.js';
import { planGrant } from './plan-grant.js';
import { settleUsage } from './settle-usage.js';
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

/** 0.02 connect fee, then 0.05 a minute billed by the minute: as the demo tariff's peak rate. */
const perMinute: UsagePrice = (units) => ({ ok: true, micros: 20_000n + ((units + 59n) / 60n) * 50_000n });

describe('planGrant', () => {
  it('grants everything when the money suffices, holding the incremental price', () => {
    const main = bucket({ id: 'main', balance: 1_000_000n });
    const outcome = planGrant([main], {
      scope: SCOPE,
      requestedUnits: 120n,
      moneyUnitsBefore: 0n,
      allOrNothing: false,
      capRemainingMicros: null,
      price: perMinute,
    });
    expect(outcome).toEqual({
      ok: true,
      grant: {
        grantedUnits: 120n,
        allowanceHolds: [],
        moneyUnits: 120n,
        moneyHolds: [{ bucketId: 'main', amount: 120_000n }],
        moneyMicros: 120_000n,
        finalUnit: false,
      },
    });
  });

  it('spends allowances first, by priority, then money', () => {
    const minutes = bucket({ id: 'minutes', kind: 'allowance', unit: 'seconds', balance: 90n, priority: 10 });
    const later = bucket({ id: 'later', kind: 'allowance', unit: 'seconds', balance: 30n, priority: 20 });
    const main = bucket({ id: 'main', balance: 1_000_000n });
    const outcome = planGrant([main, later, minutes], {
      scope: SCOPE,
      requestedUnits: 180n,
      moneyUnitsBefore: 0n,
      allOrNothing: false,
      capRemainingMicros: null,
      price: perMinute,
    });
    expect(outcome.ok && outcome.grant.allowanceHolds).toEqual([
      { bucketId: 'minutes', amount: 90n },
      { bucketId: 'later', amount: 30n },
    ]);
    expect(outcome.ok && outcome.grant.moneyMicros).toBe(70_000n);
  });

  it('grants only what is left, final, and nothing beyond a spending cap', () => {
    const main = bucket({ id: 'main', balance: 170_000n });
    const request = {
      scope: SCOPE,
      requestedUnits: 600n,
      moneyUnitsBefore: 0n,
      allOrNothing: false,
      capRemainingMicros: null,
      price: perMinute,
    };
    expect(planGrant([main], request)).toMatchObject({
      ok: true,
      grant: { grantedUnits: 180n, finalUnit: true },
    });
    expect(planGrant([main], { ...request, capRemainingMicros: 70_000n })).toMatchObject({
      ok: true,
      grant: { grantedUnits: 60n, finalUnit: true },
    });
    expect(planGrant([main], { ...request, allOrNothing: true })).toMatchObject({
      ok: false,
      code: 'insufficient_balance',
    });
  });

  it('lets a postpaid main bucket go down to minus its credit limit', () => {
    const main = bucket({ id: 'main', balance: -100_000n, floor: -150_000n });
    const outcome = planGrant([main], {
      scope: SCOPE,
      requestedUnits: 60n,
      moneyUnitsBefore: 0n,
      allOrNothing: true,
      capRemainingMicros: null,
      price: perMinute,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'insufficient_balance' });
  });

  it('never holds more than the buckets can pay, and settling never takes more than held or available', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        fc.bigInt({ min: 0n, max: 300n }),
        fc.bigInt({ min: 1n, max: 3_600n }),
        fc.bigInt({ min: 0n, max: 4_000n }),
        fc.bigInt({ min: 0n, max: 1_200n }),
        (balance, allowance, requested, used, before) => {
          const buckets = [
            bucket({ id: 'main', balance }),
            bucket({ id: 'minutes', kind: 'allowance', unit: 'seconds', balance: allowance }),
          ];
          const outcome = planGrant(buckets, {
            scope: SCOPE,
            requestedUnits: requested,
            moneyUnitsBefore: before,
            allOrNothing: false,
            capRemainingMicros: null,
            price: perMinute,
          });
          if (!outcome.ok) {
            expect(allowance).toBe(0n);
            return;
          }
          const { grant } = outcome;
          expect(grant.grantedUnits).toBeLessThanOrEqual(requested);
          for (const hold of [...grant.allowanceHolds, ...grant.moneyHolds]) {
            const held = buckets.find((b) => b.id === hold.bucketId)!;
            expect(hold.amount).toBeLessThanOrEqual(availableIn(held));
          }
          // The hold pays exactly for the money-priced units of the grant.
          const priced = perMinute(before + grant.moneyUnits);
          const base = before === 0n ? 0n : (perMinute(before) as { micros: bigint }).micros;
          const due = grant.moneyUnits === 0n ? 0n : (priced as { micros: bigint }).micros - base;
          expect(grant.moneyMicros).toBe(due);
          const settled = settleUsage(buckets, {
            scope: SCOPE,
            usedUnits: used,
            allowanceHolds: grant.allowanceHolds,
            moneyHolds: grant.moneyHolds,
            moneyUnitsBefore: before,
            capRemainingMicros: null,
            price: perMinute,
          });
          if (!settled.ok) throw new Error(settled.message);
          const s = settled.settlement;
          expect(s.allowanceUnits + s.moneyUnits).toBe(used);
          expect(s.chargedMicros).toBeLessThanOrEqual(balance);
          expect(s.chargedMicros + s.unpaidMicros).toBeGreaterThanOrEqual(0n);
          for (const taken of s.moneyTaken) expect(taken.amount).toBeGreaterThan(0n);
        },
      ),
      { numRuns: 500 },
    );
  });
});
