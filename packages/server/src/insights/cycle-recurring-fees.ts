import { type DaySpan, type FeeLine, intersectSpans, isoDateOfDay, recurringFeeLines } from '@tollgate/core';
import { feeSegmentsOf } from '../billing/fee-segments.js';
import type { LineToBill, PlanToBill, TenantBilling } from '../billing/load-billing-chunk.js';
import { planSpansOf } from '../billing/plan-spans.js';
import type { AccountCalendar } from './account-calendar.js';

export type CycleFeesOutcome =
  | { readonly ok: true; readonly lines: readonly FeeLine[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * The recurring fees of an account's lines for the days of one bill cycle, as a bill prices them:
 * each line's plan spans replayed from its events (planSpansOf), priced in the account's currency
 * (feeSegmentsOf), kept to the cycle's days and prorated per fee window (recurringFeeLines, with
 * nothing billed yet). A line on its plan the whole cycle pays the fee; one that started, paused
 * or changed plan during it pays each plan's share of days. A plan whose fee period is longer than
 * the cycle pays the cycle's share of its window (a yearly fee's 30/365 for a 30-day cycle).
 */
export function cycleRecurringFees(input: {
  readonly lines: readonly LineToBill[];
  readonly calendar: AccountCalendar;
  readonly cycle: DaySpan;
  readonly currency: string;
  readonly plans: ReadonlyMap<string, PlanToBill>;
  readonly fxRates: TenantBilling['fxRates'];
}): CycleFeesOutcome {
  const { calendar, cycle } = input;
  const spans = input.lines.flatMap((line) =>
    planSpansOf(line.id, line.events, calendar.clock, cycle.toDay).flatMap((span) => {
      const days = intersectSpans(span.span, cycle);
      return days === null ? [] : [{ ...span, span: days }];
    }),
  );
  const priced = feeSegmentsOf(
    spans,
    input.plans,
    calendar.clock,
    input.currency,
    isoDateOfDay(cycle.toDay - 1),
    input.fxRates,
  );
  if (priced.failure !== null) return { ok: false, ...priced.failure };
  try {
    const lines = recurringFeeLines({
      currency: input.currency,
      accountRule: calendar.rule,
      segments: priced.segments,
      billed: [],
      throughDay: cycle.toDay,
    });
    return { ok: true, lines };
  } catch (error) {
    return { ok: false, code: 'recurring_fees_failed', message: (error as Error).message };
  }
}
