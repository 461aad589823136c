import { cycleContaining, dayOfIsoDate, isoDateOfDay, startOfLocalDayMs } from '@tollgate/core';
import { invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { type AccountCalendar, localDayOf } from './account-calendar.js';

/** Local days [fromDay, toDay) and the instants they span. */
export interface LocalDayRange {
  readonly ok: true;
  readonly fromDay: number;
  readonly toDay: number;
  readonly from: Date;
  readonly to: Date;
}

/**
 * The days a query names, in the account's zone: `to` included (default today), `from`
 * (default the first day of the bill cycle holding `to`), at most `maxDays` of them.
 */
export function localDayRangeOf(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  calendar: AccountCalendar,
  now: Date,
  maxDays: number,
): LocalDayRange | UseCaseFailure {
  const lastDay = query.to === undefined ? localDayOf(calendar, now) : dayOf(query.to);
  if (lastDay === null) return invalid('querystring:/to', `"${query.to}" is not a calendar date`);
  const firstDay =
    query.from === undefined ? cycleContaining(calendar.rule, lastDay).fromDay : dayOf(query.from);
  if (firstDay === null) return invalid('querystring:/from', `"${query.from}" is not a calendar date`);
  if (firstDay > lastDay)
    return invalid(
      'querystring:/from',
      `from ${isoDateOfDay(firstDay)} is after to ${isoDateOfDay(lastDay)}`,
    );
  if (lastDay - firstDay + 1 > maxDays)
    return invalid(
      'querystring:/from',
      `a period is at most ${maxDays} days; this one has ${lastDay - firstDay + 1}`,
    );
  return {
    ok: true,
    fromDay: firstDay,
    toDay: lastDay + 1,
    from: new Date(startOfLocalDayMs(calendar.clock, firstDay)),
    to: new Date(startOfLocalDayMs(calendar.clock, lastDay + 1)),
  };
}

function dayOf(text: string): number | null {
  try {
    return dayOfIsoDate(text);
  } catch {
    return null;
  }
}
