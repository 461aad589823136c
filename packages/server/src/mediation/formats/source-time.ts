import { daysFromCivil, MS_PER_DAY, type ZoneClock } from '@tollgate/core';
import type { TimeFormat } from './source-profile.js';

export type SourceTime =
  | { readonly ok: true; readonly epochMs: number }
  /** What the text should have been, for the message: `... is not <expected>`. */
  | { readonly ok: false; readonly expected: string };

/** Times outside these years are clock faults (a zero time, a 2-digit year), not usage. */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
const MAX_EPOCH_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
/**
 * ISO 8601 extended format, as RFC 3339 profiles it (a space may stand for the T; seconds and an
 * offset may be left out). An offset-less time is local time of the source's zone.
 */
export const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH_SECONDS = /^(\d{1,12})(?:\.(\d{1,9}))?$/;
const EPOCH_MILLISECONDS = /^\d{1,15}$/;

const EXPECTED: Readonly<Record<TimeFormat, string>> = {
  iso8601: 'an ISO 8601 time such as 2026-03-29T14:05:00+02:00',
  local: 'a time in the local format YYYY-MM-DD HH:MM:SS',
  epoch_seconds: 'a count of seconds since 1970-01-01T00:00:00Z',
  epoch_milliseconds: 'a count of milliseconds since 1970-01-01T00:00:00Z',
};

/** Reads a start time as a source writes it; times without an offset are in the clock's zone. */
export function readSourceTime(text: string, format: TimeFormat, clock: ZoneClock): SourceTime {
  const epochMs = epochMsOf(text.trim(), format, clock);
  return epochMs === null ? { ok: false, expected: EXPECTED[format] } : { ok: true, epochMs };
}

function epochMsOf(text: string, format: TimeFormat, clock: ZoneClock): number | null {
  switch (format) {
    case 'iso8601':
      return isoEpochMs(text, clock);
    case 'local':
      return localEpochMs(text, clock);
    case 'epoch_seconds': {
      const match = EPOCH_SECONDS.exec(text);
      if (match === null) return null;
      const seconds = Number(match[1]);
      if (seconds > MAX_EPOCH_SECONDS) return null;
      return seconds * MS_PER_SECOND + fractionMs(match[2]);
    }
    case 'epoch_milliseconds': {
      if (!EPOCH_MILLISECONDS.test(text)) return null;
      const ms = Number(text);
      return ms > MAX_EPOCH_SECONDS * MS_PER_SECOND + 999 ? null : ms;
    }
  }
}

function localEpochMs(text: string, clock: ZoneClock): number | null {
  const match = LOCAL_TIME.exec(text);
  if (match === null) return null;
  const wallMs = wallClockMs(match[1]!, match[2]!, match[3]!, match[4]!, match[5]!, match[6]!, match[7]);
  return wallMs === null ? null : instantOfWallClock(wallMs, clock);
}

function isoEpochMs(text: string, clock: ZoneClock): number | null {
  const match = ISO_TIME.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const wallMs = wallClockMs(year!, month!, day!, hour!, minute!, second ?? '00', fraction);
  if (wallMs === null) return null;
  if (zulu !== undefined) return wallMs;
  if (sign === undefined) return instantOfWallClock(wallMs, clock);
  const hours = Number(offsetHours);
  const minutes = Number(offsetMinutes ?? '0');
  if (hours > 23 || minutes > 59) return null;
  const offsetMs = (sign === '-' ? -1 : 1) * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE);
  return wallMs - offsetMs;
}

/**
 * A calendar date and time of day as milliseconds on a UTC-like scale, or null when a part is out
 * of range (month 13, 31 April, hour 24). Leap seconds are out of range: no source we read
 * writes them, and the UTC scale of the database has none.
 */
function wallClockMs(
  yearText: string,
  monthText: string,
  dayText: string,
  hourText: string,
  minuteText: string,
  secondText: string,
  fraction: string | undefined,
): number | null {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    fractionMs(fraction)
  );
}

function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

/** Digits after the decimal point as whole milliseconds, cut (not rounded): a start is never moved later. */
function fractionMs(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

/**
 * The instant a wall-clock time of the zone names. Offsets come from the zone clock (the platform's
 * tz database); a zone changes offset at most once within a day on either side, so the offsets a
 * day before and after are the only candidates. A time the clocks show twice (autumn) is taken at
 * its first occurrence, and a time they skip (spring) is read with the offset before the change,
 * which lands as far past the change as the time was past it: the "compatible" choice of
 * Temporal and of java.time, so a file reads the same here as in the tools operators check it with.
 */
function instantOfWallClock(wallMs: number, clock: ZoneClock): number {
  const offsetBefore = clock.offsetAt(wallMs - MS_PER_DAY);
  const offsetAfter = clock.offsetAt(wallMs + MS_PER_DAY);
  const early = wallMs - offsetBefore;
  const late = wallMs - offsetAfter;
  const earlyFits = early + clock.offsetAt(early) === wallMs;
  const lateFits = late + clock.offsetAt(late) === wallMs;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (earlyFits) return early;
  if (lateFits) return late;
  return early;
}
