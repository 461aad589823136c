import { MS_PER_DAY, ZoneClock } from '@tollgate/core';

export interface QuietHours {
  /** Local HH:MM in the account's zone. */
  readonly start: string;
  readonly end: string;
}

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

function msOfClock(text: string): number | null {
  const match = HH_MM.exec(text);
  return match === null ? null : (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

export function isClockTime(text: string): boolean {
  return msOfClock(text) !== null;
}

/**
 * When a message that is not urgent may go out: `now` outside the quiet hours, else the moment
 * they end, local time in the account's zone (a start later than the end spans midnight: 22:00 to
 * 07:00). Equal start and end mean no quiet hours. Across a daylight-saving change the end is
 * found on the local clock, not by adding hours, so 07:00 stays 07:00; an end the change skips
 * (02:30 on a spring-forward night) is the first instant after it.
 */
export function sendAfterQuietHours(now: Date, quiet: QuietHours | null, timeZone: string): Date {
  if (quiet === null) return now;
  const start = msOfClock(quiet.start);
  const end = msOfClock(quiet.end);
  if (start === null || end === null || start === end || !ZoneClock.isValidTimeZone(timeZone)) return now;
  const clock = new ZoneClock(timeZone);
  const local = clock.localTime(now.getTime());
  const at = local.msOfDay;
  const inside = start < end ? at >= start && at < end : at >= start || at < end;
  if (!inside) return now;
  const endDay = at < end ? local.dayNumber : local.dayNumber + 1;
  let from = now.getTime();
  // instantOfLocal stops at an offset change on the way; a day holds at most two of them.
  for (let step = 0; step < 4; step++) {
    const candidate = clock.instantOfLocal(from, endDay, end);
    const reached = clock.localTime(candidate);
    if (reached.dayNumber * MS_PER_DAY + reached.msOfDay >= endDay * MS_PER_DAY + end)
      return new Date(candidate);
    from = candidate;
  }
  return new Date(from);
}
