import { type CycleRule, cycleContaining, type DaySpan, type ZoneClock, zoneClockFor } from '@tollgate/core';
import type { AccountRow } from '../accounts/account-store.js';

/** An account's calendar: its bill cycle rule and its time zone, as bill runs read them. */
export interface AccountCalendar {
  readonly rule: CycleRule;
  readonly clock: ZoneClock;
}

export function accountCalendarOf(account: AccountRow): AccountCalendar {
  return {
    rule: {
      unit: account.bill_cycle_unit,
      anchorDay: account.bill_cycle_day,
      anchorMonth: account.bill_cycle_month,
    },
    clock: zoneClockFor(account.time_zone),
  };
}

/** The local day (the account's zone) holding an instant. */
export function localDayOf(calendar: AccountCalendar, at: Date): number {
  return calendar.clock.localTime(at.getTime()).dayNumber;
}

/** The bill cycle holding an instant, as cycleContaining gives it to bill runs. */
export function cycleAt(calendar: AccountCalendar, at: Date): DaySpan {
  return cycleContaining(calendar.rule, localDayOf(calendar, at));
}
