import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, ZoneClock } from './zone-clock.js';

describe('ZoneClock', () => {
  it.each([
    [
      'UTC',
      '2026-03-09T09:00:00Z',
      { year: 2026, month: 3, monthDay: 9, weekDay: 1, msOfDay: 9 * 3_600_000, offsetMs: 0 },
    ],
    [
      'Europe/Berlin',
      '2026-03-09T23:30:00Z',
      { month: 3, monthDay: 10, weekDay: 2, msOfDay: 30 * 60_000, offsetMs: 3_600_000 },
    ],
    ['Europe/Berlin', '2026-07-01T12:00:00Z', { msOfDay: 14 * 3_600_000, offsetMs: 7_200_000 }],
    [
      'America/New_York',
      '2026-01-01T03:00:00Z',
      { year: 2025, month: 12, monthDay: 31, weekDay: 3, offsetMs: -5 * 3_600_000 },
    ],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', { msOfDay: 5.5 * 3_600_000, offsetMs: 5.5 * 3_600_000 }],
    ['Australia/Lord_Howe', '2026-01-01T00:00:00Z', { offsetMs: 11 * 3_600_000 }],
  ])('%s at %s', (zone, instant, expected) => {
    expect(new ZoneClock(zone).localTime(Date.parse(instant))).toMatchObject(expected);
  });

  it('follows a daylight-saving change inside an hour', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    // 2026-03-29 01:00 UTC: 02:00 CET becomes 03:00 CEST.
    expect(berlin.localTime(Date.parse('2026-03-29T00:59:59Z')).msOfDay).toBe(
      (1 * 3600 + 59 * 60 + 59) * 1000,
    );
    expect(berlin.localTime(Date.parse('2026-03-29T01:00:00Z')).msOfDay).toBe(3 * 3_600_000);
    // Lord Howe Island shifts by 30 minutes.
    const lordHowe = new ZoneClock('Australia/Lord_Howe');
    expect(lordHowe.offsetAt(Date.parse('2026-04-04T14:59:59Z'))).toBe(11 * 3_600_000);
    expect(lordHowe.offsetAt(Date.parse('2026-04-04T15:00:00Z'))).toBe(10.5 * 3_600_000);
  });

  it('finds the instant of a local time, or the transition before it', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    const from = Date.parse('2026-03-28T23:00:00Z'); // 00:00 local on the day of the change
    const day = berlin.localTime(from).dayNumber;
    // 08:00 local lies after the change: the transition instant comes first.
    expect(new Date(berlin.instantOfLocal(from, day, 8 * 3_600_000)).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    const after = Date.parse('2026-03-29T01:00:00Z');
    expect(new Date(berlin.instantOfLocal(after, day, 8 * 3_600_000)).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('knows which zones exist', () => {
    expect(ZoneClock.isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(ZoneClock.isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('civil calendar', () => {
  it('round-trips every day number and agrees with Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (day) => {
        const { year, month, monthDay } = civilFromDays(day);
        expect(daysFromCivil(year, month, monthDay)).toBe(day);
        const date = new Date(day * 86_400_000);
        expect([year, month, monthDay]).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
        ]);
      }),
    );
  });
});
