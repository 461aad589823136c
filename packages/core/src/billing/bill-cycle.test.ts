import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, ZoneClock } from '../rating/zone-clock.js';
import {
  type CycleRule,
  checkCycleRule,
  cycleContaining,
  dayOfIsoDate,
  feeWindowRule,
  intersectSpans,
  isoDateOfDay,
  MAX_CYCLE_DAYS,
  spanDays,
  startOfLocalDayMs,
} from './bill-cycle.js';

const day = dayOfIsoDate;

function cycleDates(rule: CycleRule, date: string): [string, string] {
  const cycle = cycleContaining(rule, day(date));
  return [isoDateOfDay(cycle.fromDay), isoDateOfDay(cycle.toDay)];
}

const ruleArbitrary: fc.Arbitrary<CycleRule> = fc.oneof(
  fc.record({
    unit: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
    anchorDay: fc.integer({ min: 1, max: 28 }),
    anchorMonth: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    unit: fc.constant('week' as const),
    anchorDay: fc.integer({ min: 1, max: 7 }),
    anchorMonth: fc.integer({ min: 1, max: 12 }),
  }),
);

const LENGTH_DAYS = { week: [7, 7], month: [28, 31], quarter: [89, 92], year: [365, 366] } as const;

describe('cycleContaining', () => {
  it.each([
    [
      'month on the 1st',
      { unit: 'month', anchorDay: 1, anchorMonth: 1 },
      '2026-03-15',
      '2026-03-01',
      '2026-04-01',
    ],
    [
      'month on the 1st, first day',
      { unit: 'month', anchorDay: 1, anchorMonth: 7 },
      '2026-03-01',
      '2026-03-01',
      '2026-04-01',
    ],
    [
      'month on the 15th',
      { unit: 'month', anchorDay: 15, anchorMonth: 1 },
      '2026-03-14',
      '2026-02-15',
      '2026-03-15',
    ],
    [
      'month on the 15th, next',
      { unit: 'month', anchorDay: 15, anchorMonth: 1 },
      '2026-03-15',
      '2026-03-15',
      '2026-04-15',
    ],
    [
      'month on the 28th in January',
      { unit: 'month', anchorDay: 28, anchorMonth: 1 },
      '2026-02-10',
      '2026-01-28',
      '2026-02-28',
    ],
    [
      'month on the 28th from February',
      { unit: 'month', anchorDay: 28, anchorMonth: 1 },
      '2026-02-28',
      '2026-02-28',
      '2026-03-28',
    ],
    [
      'month on the 28th, leap February',
      { unit: 'month', anchorDay: 28, anchorMonth: 1 },
      '2024-02-29',
      '2024-02-28',
      '2024-03-28',
    ],
    [
      'month across the year end',
      { unit: 'month', anchorDay: 10, anchorMonth: 1 },
      '2026-01-05',
      '2025-12-10',
      '2026-01-10',
    ],
    [
      'quarter from February',
      { unit: 'quarter', anchorDay: 1, anchorMonth: 2 },
      '2026-01-10',
      '2025-11-01',
      '2026-02-01',
    ],
    [
      'quarter from February, start',
      { unit: 'quarter', anchorDay: 1, anchorMonth: 2 },
      '2026-05-01',
      '2026-05-01',
      '2026-08-01',
    ],
    [
      'quarter on the 15th',
      { unit: 'quarter', anchorDay: 15, anchorMonth: 1 },
      '2026-01-14',
      '2025-10-15',
      '2026-01-15',
    ],
    [
      'quarter anchored in December',
      { unit: 'quarter', anchorDay: 1, anchorMonth: 12 },
      '2026-03-01',
      '2026-03-01',
      '2026-06-01',
    ],
    [
      'year from April',
      { unit: 'year', anchorDay: 1, anchorMonth: 4 },
      '2026-03-31',
      '2025-04-01',
      '2026-04-01',
    ],
    [
      'year from 28 February, leap',
      { unit: 'year', anchorDay: 28, anchorMonth: 2 },
      '2024-02-29',
      '2024-02-28',
      '2025-02-28',
    ],
    [
      'week from Monday',
      { unit: 'week', anchorDay: 1, anchorMonth: 1 },
      '2026-04-01',
      '2026-03-30',
      '2026-04-06',
    ],
    [
      'week from Sunday',
      { unit: 'week', anchorDay: 7, anchorMonth: 1 },
      '2026-04-01',
      '2026-03-29',
      '2026-04-05',
    ],
    [
      'week from Wednesday, on one',
      { unit: 'week', anchorDay: 3, anchorMonth: 5 },
      '2026-04-01',
      '2026-04-01',
      '2026-04-08',
    ],
    [
      'week before 1970',
      { unit: 'week', anchorDay: 1, anchorMonth: 1 },
      '1969-12-31',
      '1969-12-29',
      '1970-01-05',
    ],
  ] as const)('%s', (_name, rule, date, from, to) => {
    expect(cycleDates(rule, date)).toEqual([from, to]);
  });

  it('has 366 days for a year holding 29 February', () => {
    expect(spanDays(cycleContaining({ unit: 'year', anchorDay: 1, anchorMonth: 3 }, day('2024-01-01')))).toBe(
      366,
    );
    expect(
      spanDays(cycleContaining({ unit: 'month', anchorDay: 1, anchorMonth: 1 }, day('2024-02-10'))),
    ).toBe(29);
    expect(
      spanDays(cycleContaining({ unit: 'month', anchorDay: 1, anchorMonth: 1 }, day('2100-02-10'))),
    ).toBe(28);
  });

  it('tiles the calendar: cycles start on their anchor and follow each other without gap or overlap', () => {
    fc.assert(
      fc.property(ruleArbitrary, fc.integer({ min: -200_000, max: 200_000 }), (rule, someDay) => {
        const cycle = cycleContaining(rule, someDay);
        expect(cycle.fromDay <= someDay && someDay < cycle.toDay).toBe(true);
        const [minDays, maxDays] = LENGTH_DAYS[rule.unit];
        expect(spanDays(cycle)).toBeGreaterThanOrEqual(minDays);
        expect(spanDays(cycle)).toBeLessThanOrEqual(Math.min(maxDays, MAX_CYCLE_DAYS));
        expect(cycleContaining(rule, cycle.toDay).fromDay).toBe(cycle.toDay);
        expect(cycleContaining(rule, cycle.fromDay - 1).toDay).toBe(cycle.fromDay);
        for (let inside = cycle.fromDay; inside < cycle.toDay; inside++) {
          expect(cycleContaining(rule, inside)).toEqual(cycle);
        }
        expectStartsOnAnchor(rule, cycle.fromDay);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a bad rule or day as a bug', () => {
    expect(() => cycleContaining({ unit: 'month', anchorDay: 31, anchorMonth: 1 }, 0)).toThrow(RangeError);
    expect(() => cycleContaining({ unit: 'month', anchorDay: 1, anchorMonth: 1 }, 1.5)).toThrow(RangeError);
  });
});

function expectStartsOnAnchor(rule: CycleRule, fromDay: number): void {
  if (rule.unit === 'week') {
    expect((((fromDay + 3) % 7) + 7) % 7).toBe(rule.anchorDay - 1);
    return;
  }
  const { month, monthDay } = civilFromDays(fromDay);
  expect(monthDay).toBe(rule.anchorDay);
  const step = rule.unit === 'month' ? 1 : rule.unit === 'quarter' ? 3 : 12;
  expect((((month - rule.anchorMonth) % step) + step) % step).toBe(0);
}

describe('spans', () => {
  it('counts and intersects half-open spans', () => {
    expect(spanDays({ fromDay: 10, toDay: 17 })).toBe(7);
    expect(spanDays({ fromDay: 10, toDay: 10 })).toBe(0);
    expect(intersectSpans({ fromDay: 0, toDay: 10 }, { fromDay: 5, toDay: 20 })).toEqual({
      fromDay: 5,
      toDay: 10,
    });
    expect(intersectSpans({ fromDay: 0, toDay: 10 }, { fromDay: 10, toDay: 20 })).toBeNull();
    expect(intersectSpans({ fromDay: 3, toDay: 4 }, { fromDay: 0, toDay: 10 })).toEqual({
      fromDay: 3,
      toDay: 4,
    });
  });
});

describe('feeWindowRule', () => {
  const monthly15: CycleRule = { unit: 'month', anchorDay: 15, anchorMonth: 3 };
  const weeklyFriday: CycleRule = { unit: 'week', anchorDay: 5, anchorMonth: 1 };

  it.each([
    ['same unit', monthly15, 'month', monthly15],
    ['a year on a monthly account', monthly15, 'year', { unit: 'year', anchorDay: 15, anchorMonth: 3 }],
    [
      'a quarter on a monthly account',
      monthly15,
      'quarter',
      { unit: 'quarter', anchorDay: 15, anchorMonth: 3 },
    ],
    ['a week on a monthly account', monthly15, 'week', { unit: 'week', anchorDay: 1, anchorMonth: 3 }],
    ['a month on a weekly account', weeklyFriday, 'month', { unit: 'month', anchorDay: 1, anchorMonth: 1 }],
    ['a week on a weekly account', weeklyFriday, 'week', weeklyFriday],
  ] as const)('%s', (_name, accountRule, feeUnit, expected) => {
    expect(feeWindowRule(accountRule, feeUnit)).toEqual(expected);
  });
});

describe('ISO dates', () => {
  it('converts both ways', () => {
    expect(isoDateOfDay(0)).toBe('1970-01-01');
    expect(isoDateOfDay(-1)).toBe('1969-12-31');
    expect(dayOfIsoDate('2024-02-29')).toBe(Date.parse('2024-02-29') / 86_400_000);
    expect(isoDateOfDay(dayOfIsoDate('0001-01-01'))).toBe('0001-01-01');
    expect(isoDateOfDay(dayOfIsoDate('9999-12-31'))).toBe('9999-12-31');
  });

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-4-1',
    '20260401',
    ' 2026-04-01',
    '',
  ])('rejects %j', (text) => {
    expect(() => dayOfIsoDate(text)).toThrow(RangeError);
  });

  it('round-trips every day of years 0000 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: day('0000-01-01'), max: day('9999-12-31') }), (someDay) => {
        expect(dayOfIsoDate(isoDateOfDay(someDay))).toBe(someDay);
      }),
    );
    expect(() => isoDateOfDay(day('9999-12-31') + 1)).toThrow(RangeError);
  });
});

describe('checkCycleRule', () => {
  it('accepts valid rules', () => {
    const rule: CycleRule = { unit: 'quarter', anchorDay: 28, anchorMonth: 12 };
    expect(checkCycleRule(rule)).toEqual({ ok: true, value: rule });
    expect(checkCycleRule({ unit: 'week', anchorDay: 7, anchorMonth: 1 }).ok).toBe(true);
  });

  it.each([
    [{ unit: 'day', anchorDay: 1, anchorMonth: 1 }, 'unit'],
    [{ unit: 'month', anchorDay: 29, anchorMonth: 1 }, 'anchorDay'],
    [{ unit: 'month', anchorDay: 0, anchorMonth: 1 }, 'anchorDay'],
    [{ unit: 'month', anchorDay: 1.5, anchorMonth: 1 }, 'anchorDay'],
    [{ unit: 'week', anchorDay: 8, anchorMonth: 1 }, 'anchorDay'],
    [{ unit: 'year', anchorDay: 1, anchorMonth: 13 }, 'anchorMonth'],
    [{ unit: 'year', anchorDay: 1, anchorMonth: '1' }, 'anchorMonth'],
  ])('rejects %j, naming %s', (rule, field) => {
    const checked = checkCycleRule(rule as unknown as CycleRule);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('invalid_cycle_rule');
      expect(checked.error.message).toContain(field);
    }
  });
});

describe('startOfLocalDayMs', () => {
  it.each([
    ['UTC', '2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00.000Z'], // 23 hours long
    ['Europe/Berlin', '2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00:00.000Z'], // 25 hours long
    ['Europe/Berlin', '2026-10-26', '2026-10-25T23:00:00.000Z'],
    ['America/Santiago', '2022-09-11', '2022-09-11T04:00:00.000Z'], // midnight skipped: 01:00
    ['America/Santiago', '2022-09-12', '2022-09-12T03:00:00.000Z'],
    ['America/Santiago', '2023-04-01', '2023-04-01T03:00:00.000Z'], // 24:00 becomes 23:00 again
    ['America/Santiago', '2023-04-02', '2023-04-02T04:00:00.000Z'],
    ['America/Sao_Paulo', '2018-11-04', '2018-11-04T03:00:00.000Z'], // midnight skipped: 01:00
    ['America/Sao_Paulo', '2018-02-18', '2018-02-18T03:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-01', '2025-12-31T18:30:00.000Z'],
    ['Pacific/Kiritimati', '2026-01-01', '2025-12-31T10:00:00.000Z'],
  ])('%s %s begins at %s', (zone, date, instant) => {
    expect(new Date(startOfLocalDayMs(new ZoneClock(zone), day(date))).toISOString()).toBe(instant);
  });

  it('is the first instant of the day on every day of years with daylight-saving changes', () => {
    const cases: readonly [string, number][] = [
      ['Europe/Berlin', 2026],
      ['America/Santiago', 2022],
      ['America/Sao_Paulo', 2018],
      ['Australia/Lord_Howe', 2026],
      ['UTC', 2024],
    ];
    for (const [zone, year] of cases) {
      const clock = new ZoneClock(zone);
      for (let someDay = day(`${year}-01-01`); someDay < day(`${year + 1}-01-01`); someDay++) {
        expectStartOfDay(clock, someDay);
      }
    }
  });

  it('is the first instant of the day on any day since 1970', () => {
    const clocks = ['Europe/Berlin', 'America/Santiago', 'America/Sao_Paulo', 'America/New_York', 'UTC'].map(
      (zone) => new ZoneClock(zone),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...clocks),
        fc.integer({ min: 0, max: day('2040-12-31') }),
        (clock, someDay) => expectStartOfDay(clock, someDay),
      ),
    );
  });
});

function expectStartOfDay(clock: ZoneClock, someDay: number): void {
  const startMs = startOfLocalDayMs(clock, someDay);
  expect(clock.localTime(startMs).dayNumber).toBe(someDay);
  expect(clock.localTime(startMs - 1).dayNumber).toBe(someDay - 1);
}
