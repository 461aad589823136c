/**
 * Calendar days of the account's time zone, where bill cycles and usage days are counted
 * (DESIGN.md §3): the day a customer picks in a date field is a day of their account's zone, and
 * the API wants instants. Offsets come from Intl for the zone itself, never from the browser's
 * zone or a fixed number of hours, so a daylight-saving change falls where it should.
 */

/** The offset of `timeZone` from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instantMs));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? '0');
  const asUtc = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a day ("2026-04-01") starts in the zone, as ISO text for the API. */
export function startOfDay(isoDate: string, timeZone: string): string {
  const [year = 1970, month = 1, day = 1] = isoDate.split('-').map(Number);
  const localMidnight = Date.UTC(year, month - 1, day);
  // Two passes: the offset at the guess may differ from the offset at the answer across a change.
  let instant = localMidnight - offsetMs(localMidnight, timeZone);
  instant = localMidnight - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The day after an ISO date. */
export function nextDay(isoDate: string): string {
  const [year = 1970, month = 1, day = 1] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** Today in the zone, as an ISO date. */
export function today(timeZone: string, nowMs: number = Date.now()): string {
  return new Date(nowMs + offsetMs(nowMs, timeZone)).toISOString().slice(0, 10);
}

/** The first day of the month of an ISO date. */
export function firstOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

/** The last day of the month of an ISO date. */
export function lastOfMonth(isoDate: string): string {
  const [year = 1970, month = 1] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** Whether a text is an ISO date the date fields give. */
export function isIsoDate(text: string | null): text is string {
  return text !== null && /^\d{4}-\d{2}-\d{2}$/.test(text);
}
