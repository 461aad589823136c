import {
  type CycleRule,
  cycleContaining,
  type DaySpan,
  intersectSpans,
  type RepricingCycle,
  spanDays,
  startOfLocalDayMs,
  type ZoneClock,
  zoneClockFor,
} from '@tollgate/core';
import { planSpansOf } from '../billing/plan-spans.js';
import type { LineToReprice } from './load-lines.js';

/** The most cycles one comparison looks back over: three years of monthly bills. */
export const MAX_CYCLES = 36;

export interface LineCalendar {
  readonly rule: CycleRule;
  readonly clock: ZoneClock;
}

export function lineCalendarOf(line: LineToReprice): LineCalendar {
  const { cycle, timeZone } = line.account;
  return {
    rule: { unit: cycle.unit, anchorDay: cycle.day, anchorMonth: cycle.month },
    clock: zoneClockFor(timeZone),
  };
}

/**
 * The line's last `count` complete bill cycles, oldest first: of the account's cycles that ended
 * by `now` (bill runs cut them by the account's rule in its zone), the most recent `count`, kept
 * only when the line was billable on a base plan every day of the cycle (from its events, as
 * billing replays them), so each compared cycle is a whole one. An empty list: none yet.
 */
export function completeCyclesOf(
  line: LineToReprice,
  isBasePlan: (planId: string) => boolean,
  now: Date,
  count: number,
): RepricingCycle[] {
  const calendar = lineCalendarOf(line);
  const today = calendar.clock.localTime(now.getTime()).dayNumber;
  const current = cycleContaining(calendar.rule, today);
  const spans = planSpansOf(line.line.id, line.line.events, calendar.clock, current.toDay).filter((span) =>
    isBasePlan(span.planId),
  );
  const cycles: RepricingCycle[] = [];
  let cycle = cycleContaining(calendar.rule, current.fromDay - 1);
  for (let i = 0; i < Math.min(count, MAX_CYCLES); i++) {
    const billable = billableDays(
      spans.map((s) => s.span),
      cycle,
    );
    const whole = billable.reduce((sum, span) => sum + spanDays(span), 0) === spanDays(cycle);
    if (whole) cycles.push(repricingCycle(calendar, cycle, billable));
    cycle = cycleContaining(calendar.rule, cycle.fromDay - 1);
  }
  return cycles.reverse();
}

/** A span of days (any period) as core's cycle, with the days the line was billable in it. */
export function repricingCycle(
  calendar: LineCalendar,
  period: DaySpan,
  billable: readonly DaySpan[],
): RepricingCycle {
  return {
    period,
    startMs: startOfLocalDayMs(calendar.clock, period.fromDay),
    endMs: startOfLocalDayMs(calendar.clock, period.toDay),
    billable,
  };
}

/** The days of `period` that the spans cover, merged, sorted. */
export function billableDays(spans: readonly DaySpan[], period: DaySpan): DaySpan[] {
  const pieces = spans
    .map((span) => intersectSpans(span, period))
    .filter((span): span is DaySpan => span !== null)
    .sort((a, b) => a.fromDay - b.fromDay);
  const merged: DaySpan[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last !== undefined && piece.fromDay <= last.toDay)
      merged[merged.length - 1] = { fromDay: last.fromDay, toDay: Math.max(last.toDay, piece.toDay) };
    else merged.push(piece);
  }
  return merged;
}
