import { ZoneClock } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import type { TimeFormat } from '../../../src/mediation/formats/source-profile.js';
import { readSourceTime } from '../../../src/mediation/formats/source-time.js';

const berlin = new ZoneClock('Europe/Berlin');
const utc = new ZoneClock('UTC');

function read(text: string, format: TimeFormat, clock = berlin): string {
  const time = readSourceTime(text, format, clock);
  return time.ok ? new Date(time.epochMs).toISOString() : `not ${time.expected}`;
}

describe('readSourceTime', () => {
  it.each([
    ['2026-03-28T09:15:09Z', '2026-03-28T09:15:09.000Z'],
    ['2026-03-28T09:15:09+01:00', '2026-03-28T08:15:09.000Z'],
    ['2026-03-28T09:15:09-0230', '2026-03-28T11:45:09.000Z'],
    ['2026-03-28 09:15:09.1234567z', '2026-03-28T09:15:09.123Z'],
    ['2026-03-28T09:15', '2026-03-28T08:15:00.000Z'],
    // No offset: the source's zone, summer time after the change of 29 March 2026.
    ['2026-03-28T09:15:09', '2026-03-28T08:15:09.000Z'],
    ['2026-03-30T09:15:09', '2026-03-30T07:15:09.000Z'],
  ])('reads ISO 8601 %s', (text, instant) => {
    expect(read(text, 'iso8601')).toBe(instant);
  });

  it.each([
    // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    ['2026-03-29 01:59:59', '2026-03-29T00:59:59.000Z'],
    ['2026-03-29 03:00:00', '2026-03-29T01:00:00.000Z'],
    // Skipped by the clocks: read with the offset before the change (as Temporal "compatible").
    ['2026-03-29 02:30:00', '2026-03-29T01:30:00.000Z'],
    // Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice, the first is taken.
    ['2026-10-25 02:30:00', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25 01:59:59', '2026-10-24T23:59:59.000Z'],
    ['2026-10-25 03:00:00', '2026-10-25T02:00:00.000Z'],
    ['2026-10-25T12:00:00.5', '2026-10-25T11:00:00.500Z'],
  ])('reads local %s in Europe/Berlin', (text, instant) => {
    expect(read(text, 'local')).toBe(instant);
  });

  it('reads epoch counts', () => {
    expect(read('1774689309', 'epoch_seconds')).toBe('2026-03-28T09:15:09.000Z');
    expect(read('1774689309.25', 'epoch_seconds')).toBe('2026-03-28T09:15:09.250Z');
    expect(read('1774689309250', 'epoch_milliseconds')).toBe('2026-03-28T09:15:09.250Z');
  });

  it.each<[string, TimeFormat]>([
    ['2026-13-01 00:00:00', 'local'],
    ['2026-02-29 00:00:00', 'local'],
    ['2026-04-31 00:00:00', 'local'],
    ['2026-03-28 24:00:00', 'local'],
    ['2026-03-28 23:59:60', 'local'],
    ['1969-12-31 23:59:59', 'local'],
    ['2026-03-28T09:15:09+01:00', 'local'],
    ['28/03/2026 09:15', 'local'],
    ['2026-03-28T09:15:09+25:00', 'iso8601'],
    ['2026-03-28', 'iso8601'],
    ['', 'iso8601'],
    ['-1', 'epoch_seconds'],
    ['1e9', 'epoch_seconds'],
    ['1774689309.5', 'epoch_milliseconds'],
    ['999999999999999', 'epoch_milliseconds'],
  ])('refuses %j as %s', (text, format) => {
    expect(read(text, format, utc)).toMatch(/^not /);
  });

  it('says what it expected, for the message', () => {
    expect(readSourceTime('2026-13-01', 'local', utc)).toEqual({
      ok: false,
      expected: 'a time in the local format YYYY-MM-DD HH:MM:SS',
    });
  });

  it('leap years have 29 February', () => {
    expect(read('2028-02-29 12:00:00', 'local', utc)).toBe('2028-02-29T12:00:00.000Z');
  });
});
