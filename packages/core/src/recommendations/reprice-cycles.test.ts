import { describe, expect, it } from 'vitest';
import { compileTariff } from '../tariff/compile-tariff.js';
import type { CompiledTariff } from '../tariff/compiled-tariff.js';
import { rankPlanOptions } from './rank-plan-options.js';
import { type MeasuredUsage, type PricedPlan, type RepricingInput, repriceCycles } from './reprice-cycles.js';

/** Calls 0.10 per started minute, data 0.01 per MB (by 1 MB), UTC, rounded half-up to 4 decimals. */
function tariff(): CompiledTariff {
  const compiled = compileTariff({
    format: 'tollgate.tariff/v1',
    id: 'simple',
    currency: 'EUR',
    timeZone: 'UTC',
    rounding: { method: 'half-up', decimals: 4 },
    destinations: [{ id: 'DE', prefixes: ['+49'] }],
    rates: [
      { id: 'CALL', groups: [{ price: '0.10', per: '60s', increment: '60s' }] },
      { id: 'DATA', groups: [{ price: '0.01', per: '1MB', increment: '1MB' }] },
    ],
    ratingPlans: [
      { id: 'CALLS', bindings: [{ destination: 'DE', rate: 'CALL' }] },
      { id: 'DATA', bindings: [{ destination: '*any', rate: 'DATA' }] },
    ],
    ratingProfiles: [
      {
        tenant: 't',
        category: 'call',
        subject: '*any',
        activationTime: '2026-01-01T00:00:00Z',
        ratingPlan: 'CALLS',
      },
      {
        tenant: 't',
        category: 'data',
        subject: '*any',
        activationTime: '2026-01-01T00:00:00Z',
        ratingPlan: 'DATA',
      },
    ],
  } as never);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
  return compiled.value;
}

const JAN: RepricingInput['cycles'][number] = {
  // 2026-01-01 is day 20454 since 1970-01-01.
  period: { fromDay: 20_454, toDay: 20_485 },
  startMs: Date.parse('2026-01-01T00:00:00Z'),
  endMs: Date.parse('2026-02-01T00:00:00Z'),
  billable: [{ fromDay: 20_454, toDay: 20_485 }],
};

function plan(fields: Partial<PricedPlan>): PricedPlan {
  return {
    planId: 'p',
    planVersionId: 'p1',
    label: 'Plan',
    feeMicros: 10_000_000n,
    feeUnit: 'month',
    taxCategory: 'recurring',
    minimumCommitmentMicros: null,
    allowances: [],
    tariffs: [{ activatesMs: 0, tariff: tariff(), ratingTenant: 't' }],
    ...fields,
  };
}

function call(day: number, seconds: number): MeasuredUsage {
  return {
    service: 'call',
    unit: 'seconds',
    units: BigInt(seconds),
    destination: '+4930123',
    startedAtMs: Date.parse(`2026-01-${String(day).padStart(2, '0')}T10:00:00Z`),
    subject: '+4915100000001',
  };
}

function input(p: PricedPlan, usage: MeasuredUsage[], taxed = false): RepricingInput {
  return {
    subscriptionId: 's',
    currency: 'EUR',
    accountRule: { unit: 'month', anchorDay: 1, anchorMonth: 1 },
    cycles: [JAN],
    usage,
    plan: p,
    taxes: {
      rules: taxed
        ? [
            {
              jurisdiction: 'DE',
              category: '*',
              effectiveFromMs: 0,
              effectiveToMs: null,
              components: [{ code: 'VAT', name: 'VAT', ratePercent: '19', compound: false }],
            },
          ]
        : [],
      jurisdiction: taxed ? 'DE' : null,
      exemptions: [],
      pricesIncludeTax: false,
      rounding: 'line',
    },
  };
}

describe('repriceCycles', () => {
  it('spends a minutes allowance first, then prices the rest of the crossing call from zero', () => {
    // 5 min included; calls of 3 min and 4 min: the first fits, the second takes the last 2 min
    // and pays 2 started minutes (120 s from zero: 2 x 0.10 = 0.20). Fee 10.00 -> 10.20.
    const outcome = repriceCycles(
      input(plan({ allowances: [{ service: 'voice', category: null, unit: 'seconds', units: 300n }] }), [
        call(5, 180),
        call(6, 240),
      ]),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    const [cycle] = outcome.repriced.cycles;
    expect(cycle).toMatchObject({
      recurringFeeMicros: 10_000_000n,
      usageMicros: 200_000n,
      taxMicros: 0n,
      totalMicros: 10_200_000n,
      overAllowance: true,
      records: 2,
    });
    expect(cycle!.allowances).toEqual([
      { service: 'voice', category: null, unit: 'seconds', includedUnits: 300n, usedUnits: 300n },
    ]);
  });

  it('adds taxes per line and the minimum commitment, and ignores usage outside the cycles', () => {
    // One 61 s call: 2 started minutes = 0.20; commitment 1.00 tops usage up by 0.80.
    // Net 10.00 + 0.20 + 0.80 = 11.00; VAT 19 %: 1.90 + 0.04 (0.038) + 0.15 (0.152) = 2.09.
    const late = { ...call(1, 60), startedAtMs: Date.parse('2026-02-01T00:00:00Z') };
    const outcome = repriceCycles(
      input(plan({ minimumCommitmentMicros: 1_000_000n }), [call(9, 61), late], true),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.repriced.cycles[0]).toMatchObject({
      usageMicros: 1_000_000n,
      taxMicros: 2_090_000n,
      totalMicros: 13_090_000n,
      records: 1,
      overAllowance: false,
    });
  });

  it('prorates the fee and allowances to the billable days', () => {
    // Billable 11-31 January: 21/31 of 10.00 = 6.774 -> 6.77; 300 s x 21/31 = 203 s (down).
    const partial = { ...JAN, billable: [{ fromDay: 20_464, toDay: 20_485 }] };
    const outcome = repriceCycles({
      ...input(
        plan({ allowances: [{ service: 'voice', category: null, unit: 'seconds', units: 300n }] }),
        [],
      ),
      cycles: [partial],
    });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.repriced.cycles[0]!.recurringFeeMicros).toBe(6_770_000n);
    expect(outcome.repriced.cycles[0]!.allowances[0]!.includedUnits).toBe(203n);
  });

  it('fails when the plan cannot price a usage', () => {
    const outcome = repriceCycles(input(plan({}), [{ ...call(3, 60), destination: '+33123' }]));
    expect(outcome.ok).toBe(false);
  });
});

describe('rankPlanOptions', () => {
  it('ranks by total, the current plan first at a tie, then by code; averages rounded to the cent', () => {
    const ranked = rankPlanOptions(
      [
        { planId: 'a', code: 'b-plan', current: false, totalMicros: 30_000_000n },
        { planId: 'b', code: 'a-plan', current: false, totalMicros: 30_000_000n },
        { planId: 'c', code: 'z-plan', current: true, totalMicros: 30_000_000n },
        { planId: 'd', code: 'cheap', current: false, totalMicros: 10_000_000n },
      ],
      3,
      'EUR',
    );
    expect(ranked.map((r) => [r.option.code, r.rank])).toEqual([
      ['cheap', 1],
      ['z-plan', 2],
      ['a-plan', 3],
      ['b-plan', 4],
    ]);
    // 10.00 / 3 = 3.3333 -> 3.33; 30.00 / 3 = 10.00; saving 10.00 - 3.33 = 6.67.
    expect(ranked[0]).toMatchObject({ averagePerCycleMicros: 3_330_000n, savingPerCycleMicros: 6_670_000n });
    expect(ranked[1]!.savingPerCycleMicros).toBe(0n);
  });
});
