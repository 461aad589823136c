import { ZoneClock } from '@tollgate/core';

/**
 * Zone clocks kept for reuse: a clock caches the offsets of the hours it was asked about, and
 * building one costs an Intl formatter and its cache tables (a few hundred kilobytes), too much
 * for each event of an API request. Few zones are in use at once; the oldest is dropped first.
 */
const MAX_CLOCKS = 16;
const clocks = new Map<string, ZoneClock>();

/** The shared clock of an IANA zone; the zone must be valid (profiles are checked when saved). */
export function zoneClockOf(timeZone: string): ZoneClock {
  const known = clocks.get(timeZone);
  if (known !== undefined) return known;
  const clock = new ZoneClock(timeZone);
  if (clocks.size >= MAX_CLOCKS) clocks.delete(clocks.keys().next().value!);
  clocks.set(timeZone, clock);
  return clock;
}
