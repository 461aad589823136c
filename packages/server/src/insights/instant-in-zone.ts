import type { ZoneClock } from '@tollgate/core';

/**
 * An instant as ISO 8601 local time with its UTC offset in `clock`'s zone
 * (2026-03-02T11:00:00.000+01:00): what a customer reads as their time, and still the exact
 * instant for a program. The offset comes from the zone's rules (ZoneClock, through Intl).
 */
export function instantInZone(clock: ZoneClock, epochMs: number): string {
  const offsetMs = clock.offsetAt(epochMs);
  const local = new Date(epochMs + offsetMs).toISOString().slice(0, 23);
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
