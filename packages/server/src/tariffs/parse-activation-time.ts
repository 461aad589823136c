import { fail, ok, type Result } from '@tollgate/core';

/**
 * ISO 8601 / RFC 3339 date-time as CGRateS tariff plans write it (`2014-01-14T00:00:00Z`), with an
 * optional fraction of up to milliseconds and an optional offset. A date alone means midnight.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** True when `timeZone` is an IANA zone this runtime knows (`UTC`, `Europe/Berlin`). */
export function isKnownTimeZone(timeZone: string): boolean {
  return zoneFormatter(timeZone) !== undefined;
}

/**
 * Parses an activation time to the instant it names, written as ISO 8601 in UTC
 * (`2014-01-14T00:00:00Z`, milliseconds only when there are any). Without an offset the time is
 * wall-clock time in `timeZone`, as CGRateS reads it in its configured zone.
 */
export function parseActivationTime(text: string, timeZone: string): Result<string> {
  const invalid = fail(
    'invalid_activation_time',
    `"${text}" is not an ISO 8601 date-time such as 2014-01-14T00:00:00Z`,
  );
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return invalid;
  const [, year = '', month = '', day = '', hour = '0', minute = '0', second = '0', fraction = '', offset] =
    match;
  const wall = wallClockMs({
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Number(fraction.padEnd(3, '0')),
  });
  if (wall === undefined) return invalid;
  let epochMs: number | undefined;
  if (offset === undefined) {
    epochMs = zonedWallToEpochMs(wall, timeZone);
  } else {
    const offsetMinutes = parseOffsetMinutes(offset);
    epochMs = offsetMinutes === undefined ? undefined : wall - offsetMinutes * 60_000;
  }
  if (epochMs === undefined) return invalid;
  return ok(new Date(epochMs).toISOString().replace('.000Z', 'Z'));
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** The wall-clock time as if it were UTC, or undefined when a field is out of range (Feb 30). */
function wallClockMs({ year, month, day, hour, minute, second, millisecond }: WallClock): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date.getTime() : undefined;
}

function parseOffsetMinutes(offset: string): number | undefined {
  if (offset.toUpperCase() === 'Z') return 0;
  const [, sign, hours = '', minutes = ''] = OFFSET.exec(offset) ?? [];
  if (sign === undefined || Number(hours) > 23 || Number(minutes) > 59) return undefined;
  const total = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -total : total;
}

/**
 * The instant at which clocks in `timeZone` show `wallMs` (a wall-clock time written as if UTC).
 * The zone's offset is looked up at the guess and once more after correcting by it, which settles
 * on either side of a DST change; a time skipped by DST resolves to the offset in force after it.
 */
function zonedWallToEpochMs(wallMs: number, timeZone: string): number | undefined {
  const formatter = zoneFormatter(timeZone);
  if (formatter === undefined) return undefined;
  const firstOffset = zoneOffsetMs(wallMs, formatter);
  const guess = wallMs - firstOffset;
  const secondOffset = zoneOffsetMs(guess, formatter);
  return secondOffset === firstOffset ? guess : wallMs - secondOffset;
}

function zoneOffsetMs(epochMs: number, formatter: Intl.DateTimeFormat): number {
  const fields = new Map(formatter.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(fields.get(type));
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
  return wall - wholeSecondMs;
}

function zoneFormatter(timeZone: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
