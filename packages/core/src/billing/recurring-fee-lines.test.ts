import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../money/money.js';
import {
  CYCLE_UNITS,
  type CycleRule,
  type CycleUnit,
  cycleContaining,
  type DaySpan,
  dayOfIsoDate,
  feeWindowRule,
  isoDateOfDay,
  spanDays,
} from './bill-cycle.js';
import {
  type BilledFee,
  type FeeLine,
  type FeeSegment,
  MAX_SEGMENT_DAYS,
  type RecurringFeeInput,
  recurringFeeLines,
} from './recurring-fee-lines.js';

const day = dayOfIsoDate;
const MONTHLY: CycleRule = { unit: 'month', anchorDay: 1, anchorMonth: 1 };
/** A half cent, in micro-units. */
const EUR_HALF_STEP = 5_000n;

function amount(text: string, currency = 'EUR'): bigint {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.amountMicros;
}

function span(from: string, to: string): DaySpan {
  return { fromDay: day(from), toDay: day(to) };
}

/** An open-ended line, as callers pass it. */
function from(date: string): DaySpan {
  return { fromDay: day(date), toDay: day(date) + MAX_SEGMENT_DAYS };
}

const PLAN_A = { planId: 'plan-a', planVersionId: 'plan-a-v1', label: 'Basic', feeMicros: amount('30.00') };
const PLAN_B = { planId: 'plan-b', planVersionId: 'plan-b-v1', label: 'Plus', feeMicros: amount('50.00') };

function segment(plan: typeof PLAN_A, days: DaySpan, extra: Partial<FeeSegment> = {}): FeeSegment {
  return { subscriptionId: 'line-1', feeUnit: 'month', ...plan, span: days, ...extra };
}

function charged(plan: typeof PLAN_A, window: DaySpan, days: DaySpan, amountMicros: bigint): BilledFee {
  return {
    subscriptionId: 'line-1',
    planId: plan.planId,
    planVersionId: plan.planVersionId,
    window,
    span: days,
    amountMicros,
    feeMicros: plan.feeMicros,
  };
}

function lines(
  partial: Partial<RecurringFeeInput> & Pick<RecurringFeeInput, 'segments' | 'throughDay'>,
): FeeLine[] {
  return recurringFeeLines({ currency: 'EUR', accountRule: MONTHLY, billed: [], ...partial });
}

/** [kind, plan, first day, day after, amount] of each line, for tables people can read. */
function summary(list: readonly FeeLine[]): [string, string, string, string, bigint][] {
  return list.map((line) => [
    line.kind,
    line.planId,
    isoDateOfDay(line.span.fromDay),
    isoDateOfDay(line.span.toDay),
    line.amountMicros,
  ]);
}

const APRIL = span('2026-04-01', '2026-05-01');
const APRIL_FOR_A = charged(PLAN_A, APRIL, APRIL, amount('30.00'));

describe('recurringFeeLines: a month of 30.00 on cycles from the 1st', () => {
  it.each([
    [
      'a whole month',
      [segment(PLAN_A, from('2026-03-01'))],
      [],
      '2026-04-01',
      [['recurring', 'plan-a', '2026-03-01', '2026-04-01', amount('30.00')]],
    ],
    [
      'activation on 15 March: 17 of 31 days (16.4516)',
      [segment(PLAN_A, from('2026-03-15'))],
      [],
      '2026-04-01',
      [['recurring', 'plan-a', '2026-03-15', '2026-04-01', amount('16.45')]],
    ],
    [
      'activation on 15 March, April billed in advance',
      [segment(PLAN_A, from('2026-03-15'))],
      [],
      '2026-05-01',
      [
        ['recurring', 'plan-a', '2026-03-15', '2026-04-01', amount('16.45')],
        ['recurring', 'plan-a', '2026-04-01', '2026-05-01', amount('30.00')],
      ],
    ],
    [
      'termination on 10 April after April was billed: 21 days back',
      [segment(PLAN_A, span('2026-04-01', '2026-04-10'))],
      [APRIL_FOR_A],
      '2026-05-01',
      [['recurring_credit', 'plan-a', '2026-04-10', '2026-05-01', amount('-21.00')]],
    ],
    [
      'plan change on 16 April from 30.00 to 50.00',
      [segment(PLAN_A, span('2026-04-01', '2026-04-16')), segment(PLAN_B, from('2026-04-16'))],
      [APRIL_FOR_A],
      '2026-05-01',
      [
        ['recurring_credit', 'plan-a', '2026-04-16', '2026-05-01', amount('-15.00')],
        ['recurring', 'plan-b', '2026-04-16', '2026-05-01', amount('25.00')],
      ],
    ],
    [
      'plan change, May billed in advance too',
      [segment(PLAN_A, span('2026-04-01', '2026-04-16')), segment(PLAN_B, from('2026-04-16'))],
      [APRIL_FOR_A],
      '2026-06-01',
      [
        ['recurring_credit', 'plan-a', '2026-04-16', '2026-05-01', amount('-15.00')],
        ['recurring', 'plan-b', '2026-04-16', '2026-05-01', amount('25.00')],
        ['recurring', 'plan-b', '2026-05-01', '2026-06-01', amount('50.00')],
      ],
    ],
    [
      'pause from 10 April, resumed on the 20th',
      [segment(PLAN_A, span('2026-04-01', '2026-04-10')), segment(PLAN_A, from('2026-04-20'))],
      [APRIL_FOR_A],
      '2026-05-01',
      [['recurring_credit', 'plan-a', '2026-04-10', '2026-04-20', amount('-10.00')]],
    ],
    ['nothing changed', [segment(PLAN_A, span('2026-04-01', '2026-05-01'))], [APRIL_FOR_A], '2026-05-01', []],
    ['a free plan', [segment({ ...PLAN_A, feeMicros: 0n }, from('2026-03-15'))], [], '2026-05-01', []],
  ] as const)('%s', (_name, segments, billed, throughDate, expected) => {
    const output = lines({ segments, billed, throughDay: day(throughDate) });
    expect(summary(output)).toEqual(expected);
    // Idempotent: what was just billed is not billed again.
    expect(lines({ segments, billed: [...billed, ...output], throughDay: day(throughDate) })).toEqual([]);
  });

  it('writes whole lines: window, days and fee', () => {
    expect(lines({ segments: [segment(PLAN_A, from('2026-03-15'))], throughDay: day('2026-04-01') })).toEqual(
      [
        {
          kind: 'recurring',
          subscriptionId: 'line-1',
          planId: 'plan-a',
          planVersionId: 'plan-a-v1',
          label: 'Basic',
          window: span('2026-03-01', '2026-04-01'),
          span: span('2026-03-15', '2026-04-01'),
          days: 17,
          windowDays: 31,
          feeMicros: amount('30.00'),
          amountMicros: amount('16.45'),
        },
      ],
    );
  });

  it('bills a pause, its resumption and a later termination each once', () => {
    let billed: BilledFee[] = [APRIL_FOR_A];
    const history = (segments: FeeSegment[], throughDate: string): FeeLine[] => {
      const output = lines({ segments, billed, throughDay: day(throughDate) });
      billed = [...billed, ...output];
      return output;
    };
    const paused = [segment(PLAN_A, span('2026-04-01', '2026-04-10')), segment(PLAN_A, from('2026-04-20'))];
    expect(summary(history(paused, '2026-05-01'))).toEqual([
      ['recurring_credit', 'plan-a', '2026-04-10', '2026-04-20', amount('-10.00')],
    ]);
    // The resumption on the 20th was already known: nothing more.
    expect(history(paused, '2026-05-01')).toEqual([]);
    // The pause is cancelled after the fact: its days are billed again.
    expect(summary(history([segment(PLAN_A, from('2026-04-01'))], '2026-05-01'))).toEqual([
      ['recurring', 'plan-a', '2026-04-10', '2026-04-20', amount('10.00')],
    ]);
    // Terminated on 15 April: the re-billed days 15..19 go back as a part of that charge, the rest
    // of April as a part of the first.
    expect(summary(history([segment(PLAN_A, span('2026-04-01', '2026-04-15'))], '2026-05-01'))).toEqual([
      ['recurring_credit', 'plan-a', '2026-04-15', '2026-04-20', amount('-5.00')],
      ['recurring_credit', 'plan-a', '2026-04-20', '2026-05-01', amount('-11.00')],
    ]);
    expect(billed.reduce((sum, line) => sum + line.amountMicros, 0n)).toBe(amount('14.00'));
  });
});

describe('recurringFeeLines: other cycles, periods and currencies', () => {
  it('prorates over cycles from the 15th (15th to 14th)', () => {
    const output = lines({
      accountRule: { unit: 'month', anchorDay: 15, anchorMonth: 1 },
      segments: [segment(PLAN_A, from('2026-03-20'))],
      throughDay: day('2026-05-15'),
    });
    // 26 of 31 days (25.1613), then a whole cycle.
    expect(summary(output)).toEqual([
      ['recurring', 'plan-a', '2026-03-20', '2026-04-15', amount('25.16')],
      ['recurring', 'plan-a', '2026-04-15', '2026-05-15', amount('30.00')],
    ]);
    expect(output.map((line) => [isoDateOfDay(line.window.fromDay), line.windowDays])).toEqual([
      ['2026-03-15', 31],
      ['2026-04-15', 30],
    ]);
  });

  it('bills a weekly plan on a monthly account in weeks from Monday', () => {
    const weekly = { ...PLAN_A, feeMicros: amount('7.00') };
    const april = lines({
      segments: [segment(weekly, from('2026-04-01'), { feeUnit: 'week' })],
      throughDay: day('2026-05-01'),
    });
    expect(summary(april)).toEqual([
      ['recurring', 'plan-a', '2026-04-01', '2026-04-06', amount('5.00')], // Wednesday to Sunday
      ['recurring', 'plan-a', '2026-04-06', '2026-04-13', amount('7.00')],
      ['recurring', 'plan-a', '2026-04-13', '2026-04-20', amount('7.00')],
      ['recurring', 'plan-a', '2026-04-20', '2026-04-27', amount('7.00')],
      ['recurring', 'plan-a', '2026-04-27', '2026-05-04', amount('7.00')], // starts in April
    ]);
    const may = lines({
      segments: [segment(weekly, from('2026-04-01'), { feeUnit: 'week' })],
      billed: april,
      throughDay: day('2026-06-01'),
    });
    expect(summary(may).map(([, , first]) => first)).toEqual([
      '2026-05-04',
      '2026-05-11',
      '2026-05-18',
      '2026-05-25',
    ]);
  });

  it('bills a yearly fee on monthly cycles for the year in advance, and credits the rest on termination', () => {
    const yearly = { ...PLAN_A, feeMicros: amount('120.00') };
    const segments = [segment(yearly, from('2026-03-01'), { feeUnit: 'year' })];
    const march = lines({ segments, throughDay: day('2026-04-01') });
    // 306 of 365 days: 100.6027.
    expect(summary(march)).toEqual([['recurring', 'plan-a', '2026-03-01', '2027-01-01', amount('100.60')]]);
    expect(lines({ segments, billed: march, throughDay: day('2026-05-01') })).toEqual([]);
    const terminated = [segment(yearly, span('2026-03-01', '2026-07-01'), { feeUnit: 'year' })];
    // 184 of 365 days back: 60.4932.
    expect(summary(lines({ segments: terminated, billed: march, throughDay: day('2026-08-01') }))).toEqual([
      ['recurring_credit', 'plan-a', '2026-07-01', '2027-01-01', amount('-60.49')],
    ]);
  });

  it('prorates February by its own length', () => {
    const plan = { ...PLAN_A, feeMicros: amount('29.00') };
    const leap = lines({ segments: [segment(plan, from('2024-02-10'))], throughDay: day('2024-03-01') });
    expect(summary(leap)).toEqual([['recurring', 'plan-a', '2024-02-10', '2024-03-01', amount('20.00')]]); // 20 of 29
    const common = lines({ segments: [segment(plan, from('2026-02-10'))], throughDay: day('2026-03-01') });
    expect(summary(common)).toEqual([['recurring', 'plan-a', '2026-02-10', '2026-03-01', amount('19.68')]]); // 19 of 28
  });

  it('rounds to whole yen, half away from zero', () => {
    const yen = (fee: string, segments: DaySpan, billed: BilledFee[] = []) =>
      summary(
        recurringFeeLines({
          currency: 'JPY',
          accountRule: MONTHLY,
          segments: [segment({ ...PLAN_A, feeMicros: amount(fee, 'JPY') }, segments)],
          billed,
          throughDay: day('2026-05-01'),
        }),
      ).map(([kind, , first, , micros]) => [kind, first, micros]);
    expect(yen('3000', span('2026-03-15', '2026-04-01'))).toEqual([
      ['recurring', '2026-03-15', amount('1645', 'JPY')],
    ]);
    expect(yen('1001', span('2026-04-16', '2026-05-01'))).toEqual([
      ['recurring', '2026-04-16', amount('501', 'JPY')],
    ]);
    const april = {
      ...charged(PLAN_A, APRIL, APRIL, amount('1001', 'JPY')),
      feeMicros: amount('1001', 'JPY'),
    };
    expect(yen('1001', span('2026-04-01', '2026-04-16'), [april])).toEqual([
      ['recurring_credit', '2026-04-16', amount('-501', 'JPY')],
    ]);
  });

  it('rounds a credit like a charge: half a cent away from zero', () => {
    const plan = { ...PLAN_A, feeMicros: amount('10.01') };
    const billed = [charged(plan, APRIL, APRIL, amount('10.01'))];
    const output = lines({
      segments: [segment(plan, span('2026-04-01', '2026-04-16'))],
      billed,
      throughDay: day('2026-05-01'),
    });
    expect(summary(output)).toEqual([
      ['recurring_credit', 'plan-a', '2026-04-16', '2026-05-01', amount('-5.01')],
    ]);
  });

  it('takes back exactly what a line charged when all its days go, at the fee it was charged at', () => {
    const billed = [
      {
        ...charged(
          PLAN_A,
          span('2026-03-01', '2026-04-01'),
          span('2026-03-15', '2026-04-01'),
          amount('16.40'),
        ),
        label: 'Basic (old)',
      },
    ];
    // The activation is cancelled: the line has no segment left.
    const output = lines({ segments: [], billed, throughDay: day('2026-05-01') });
    expect(output).toEqual([
      {
        kind: 'recurring_credit',
        subscriptionId: 'line-1',
        planId: 'plan-a',
        planVersionId: 'plan-a-v1',
        label: 'Basic (old)',
        window: span('2026-03-01', '2026-04-01'),
        span: span('2026-03-15', '2026-04-01'),
        days: 17,
        windowDays: 31,
        feeMicros: amount('30.00'),
        amountMicros: amount('-16.40'),
      },
    ]);
    // Part of it at the fee it was charged at (30.00), not the plan's fee today.
    const cheaper = [segment({ ...PLAN_A, feeMicros: amount('3.00') }, span('2026-03-15', '2026-03-25'))];
    expect(summary(lines({ segments: cheaper, billed, throughDay: day('2026-04-01') }))).toEqual([
      ['recurring_credit', 'plan-a', '2026-03-25', '2026-04-01', amount('-6.77')], // 30 × 7/31 = 6.774
    ]);
  });

  it('sorts by line, window, first day, credits first', () => {
    const other = (seg: FeeSegment): FeeSegment => ({ ...seg, subscriptionId: 'line-0' });
    const output = lines({
      segments: [
        segment(PLAN_B, from('2026-04-16')),
        segment(PLAN_A, span('2026-04-01', '2026-04-16')),
        other(segment(PLAN_A, from('2026-03-20'))),
      ],
      billed: [APRIL_FOR_A],
      throughDay: day('2026-05-01'),
    });
    expect(output.map((line) => [line.subscriptionId, line.kind, isoDateOfDay(line.span.fromDay)])).toEqual([
      ['line-0', 'recurring', '2026-03-20'],
      ['line-0', 'recurring', '2026-04-01'],
      ['line-1', 'recurring_credit', '2026-04-16'],
      ['line-1', 'recurring', '2026-04-16'],
    ]);
  });
});

describe('recurringFeeLines: broken input is a bug', () => {
  it('refuses overlapping segments of one plan version, naming the line', () => {
    const segments = [
      segment(PLAN_A, span('2026-04-01', '2026-04-16')),
      segment(PLAN_A, span('2026-04-10', '2026-05-01')),
    ];
    expect(() => lines({ segments, throughDay: day('2026-05-01') })).toThrow(
      /line-1.*overlapping segments on 2026-04-10/,
    );
  });

  it('refuses a day charged twice', () => {
    const billed = [APRIL_FOR_A, charged(PLAN_A, APRIL, span('2026-04-10', '2026-04-12'), amount('2.00'))];
    expect(() =>
      lines({ segments: [segment(PLAN_A, from('2026-04-01'))], billed, throughDay: day('2026-05-01') }),
    ).toThrow(/2026-04-10 is billed 2 times/);
  });

  it('refuses more than 1000 fee windows for one plan version', () => {
    const weekly = segment(PLAN_A, { fromDay: 0, toDay: MAX_SEGMENT_DAYS }, { feeUnit: 'week' });
    expect(() => lines({ segments: [weekly], throughDay: MAX_SEGMENT_DAYS })).toThrow(
      /plan-a-v1.*1000 fee windows/,
    );
  });

  it.each([
    ['an unknown currency', { currency: 'EURO' }],
    ['a bad cycle rule', { accountRule: { unit: 'month', anchorDay: 30, anchorMonth: 1 } as const }],
    ['a segment without days', { segments: [segment(PLAN_A, span('2026-04-10', '2026-04-10'))] }],
    ['a segment too long', { segments: [segment(PLAN_A, { fromDay: 0, toDay: MAX_SEGMENT_DAYS + 1 })] }],
    ['a negative fee', { segments: [segment({ ...PLAN_A, feeMicros: -1n }, APRIL)] }],
    [
      'different fees on one plan version',
      {
        segments: [
          segment(PLAN_A, span('2026-04-01', '2026-04-10')),
          segment({ ...PLAN_A, feeMicros: 1n }, span('2026-04-10', '2026-04-11')),
        ],
      },
    ],
    [
      'a billed line outside its window',
      { billed: [charged(PLAN_A, APRIL, span('2026-03-31', '2026-04-02'), 1n)] },
    ],
  ])('refuses %s', (_name, change) => {
    expect(() => lines({ segments: [], throughDay: day('2026-05-01'), ...change })).toThrow(RangeError);
  });
});

// Properties. Fees of at least 10.00 make every day worth more than half a cent, so no run rounds to
// nothing and every change shows as a line.

const ruleArbitrary: fc.Arbitrary<CycleRule> = fc.oneof(
  fc.record({
    unit: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
    anchorDay: fc.integer({ min: 1, max: 28 }),
    anchorMonth: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    unit: fc.constant('week' as const),
    anchorDay: fc.integer({ min: 1, max: 7 }),
    anchorMonth: fc.constant(1),
  }),
);
const unitArbitrary = fc.constantFrom<CycleUnit>(...CYCLE_UNITS);
const feeArbitrary = fc.bigInt({ min: 10_000_000n, max: 10_000_000_000n });
const BASE_DAY = day('2025-01-01');

/** Runs of consecutive days on which `isOn` holds, as spans from `firstDay`. */
function spansOf(firstDay: number, length: number, isOn: (index: number) => boolean): DaySpan[] {
  const spans: DaySpan[] = [];
  for (let index = 0; index < length; index++) {
    if (!isOn(index)) continue;
    const last = spans.at(-1);
    if (last !== undefined && last.toDay === firstDay + index)
      spans[spans.length - 1] = { ...last, toDay: last.toDay + 1 };
    else spans.push({ fromDay: firstDay + index, toDay: firstDay + index + 1 });
  }
  return spans;
}

/** A line's history: the plan version it is on from each cut onwards (null: not billable). */
const historyArbitrary = fc.record({
  cuts: fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 6 }),
  states: fc.array(fc.constantFrom('A', 'B', null), { minLength: 7, maxLength: 7 }),
});

type Plans = Record<'A' | 'B', { feeMicros: bigint; feeUnit: CycleUnit }>;

function segmentsOf(
  subscriptionId: string,
  history: { cuts: number[]; states: ('A' | 'B' | null)[] },
  plans: Plans,
): FeeSegment[] {
  const bounds = [0, ...[...history.cuts].sort((a, b) => a - b), 400];
  const segments: FeeSegment[] = [];
  for (let index = 0; index + 1 < bounds.length; index++) {
    const state = history.states[index] ?? null;
    if (state === null) continue;
    segments.push({
      subscriptionId,
      planId: `plan-${state}`,
      planVersionId: `plan-${state}-v1`,
      label: `Plan ${state}`,
      ...plans[state],
      span: { fromDay: BASE_DAY + bounds[index]!, toDay: BASE_DAY + bounds[index + 1]! },
    });
  }
  return segments;
}

describe('recurringFeeLines: properties', () => {
  it('bills nothing twice: running again with its own output billed gives no lines', () => {
    fc.assert(
      fc.property(
        ruleArbitrary,
        fc.record({
          A: fc.record({ feeMicros: feeArbitrary, feeUnit: unitArbitrary }),
          B: fc.record({ feeMicros: feeArbitrary, feeUnit: unitArbitrary }),
        }),
        fc.array(fc.tuple(historyArbitrary, historyArbitrary, fc.integer({ min: 0, max: 150 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (accountRule, plans, steps) => {
          let billed: FeeLine[] = [];
          let throughDay = BASE_DAY;
          for (const [first, second, advanceDays] of steps) {
            throughDay += advanceDays;
            const input = {
              currency: 'EUR',
              accountRule,
              segments: [...segmentsOf('line-1', first, plans), ...segmentsOf('line-2', second, plans)],
              throughDay,
            };
            billed = [...billed, ...recurringFeeLines({ ...input, billed })];
            expect(recurringFeeLines({ ...input, billed })).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('charges exactly fee × windows for whole windows', () => {
    fc.assert(
      fc.property(
        ruleArbitrary,
        unitArbitrary,
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 24 }),
        (accountRule, feeUnit, feeMicros, startOffset, windowCount) => {
          const rule = feeWindowRule(accountRule, feeUnit);
          const firstDay = cycleContaining(rule, BASE_DAY + startOffset).fromDay;
          let toDay = firstDay;
          for (let count = 0; count < windowCount; count++) toDay = cycleContaining(rule, toDay).toDay;
          const output = recurringFeeLines({
            currency: 'EUR',
            accountRule,
            segments: [segment({ ...PLAN_A, feeMicros }, { fromDay: firstDay, toDay }, { feeUnit })],
            billed: [],
            throughDay: toDay,
          });
          expect(output).toHaveLength(feeMicros === 0n ? 0 : windowCount);
          expect(output.reduce((sum, line) => sum + line.amountMicros, 0n)).toBe(
            feeMicros * BigInt(windowCount),
          );
        },
      ),
    );
  });

  it('bills each run of a window, billed separately, within half a cent of its exact share', () => {
    fc.assert(
      fc.property(
        ruleArbitrary,
        unitArbitrary,
        feeArbitrary,
        fc.integer({ min: 0, max: 2000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { maxLength: 12 }),
        (accountRule, feeUnit, feeMicros, startOffset, cutOffsets) => {
          const window = cycleContaining(feeWindowRule(accountRule, feeUnit), BASE_DAY + startOffset);
          const windowDays = spanDays(window);
          const cuts = [
            ...cutOffsets.filter((offset) => offset < windowDays).sort((a, b) => a - b),
            windowDays,
          ];
          let billed: FeeLine[] = [];
          let fromDay = window.fromDay;
          for (const cut of cuts) {
            const toDay = window.fromDay + cut;
            const output = recurringFeeLines({
              currency: 'EUR',
              accountRule,
              segments: [segment({ ...PLAN_A, feeMicros }, { fromDay: window.fromDay, toDay }, { feeUnit })],
              billed,
              throughDay: window.toDay,
            });
            expect(output.map((line) => line.span)).toEqual([{ fromDay, toDay }]);
            const line = output[0]!;
            const errorTimesWindow = line.amountMicros * BigInt(windowDays) - feeMicros * BigInt(line.days);
            expect(abs(errorTimesWindow) <= EUR_HALF_STEP * BigInt(windowDays)).toBe(true);
            billed = [...billed, ...output];
            fromDay = toDay;
          }
        },
      ),
    );
  });

  it('keeps charges minus credits in a window within half a cent a line of the billable share', () => {
    fc.assert(
      fc.property(
        ruleArbitrary,
        unitArbitrary,
        feeArbitrary,
        fc.integer({ min: 0, max: 2000 }),
        fc.array(fc.array(fc.boolean(), { minLength: 366, maxLength: 366 }), { minLength: 1, maxLength: 6 }),
        (accountRule, feeUnit, feeMicros, startOffset, histories) => {
          const window = cycleContaining(feeWindowRule(accountRule, feeUnit), BASE_DAY + startOffset);
          const windowDays = spanDays(window);
          let billed: FeeLine[] = [];
          for (const billable of histories) {
            const segments = spansOf(window.fromDay, windowDays, (index) => billable[index] === true).map(
              (days) => segment({ ...PLAN_A, feeMicros }, days, { feeUnit }),
            );
            billed = [
              ...billed,
              ...recurringFeeLines({
                currency: 'EUR',
                accountRule,
                segments,
                billed,
                throughDay: window.toDay,
              }),
            ];
          }
          const finalDays = histories.at(-1)!.slice(0, windowDays).filter(Boolean).length;
          const netMicros = billed.reduce((sum, line) => sum + line.amountMicros, 0n);
          const slackMicros = BigInt(billed.length) * EUR_HALF_STEP;
          expect(netMicros <= feeMicros + slackMicros).toBe(true);
          const errorTimesWindow = netMicros * BigInt(windowDays) - feeMicros * BigInt(finalDays);
          expect(abs(errorTimesWindow) <= slackMicros * BigInt(windowDays)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
