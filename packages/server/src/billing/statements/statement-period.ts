import { dayOfIsoDate, isoDateOfDay, startOfLocalDayMs, type ZoneClock } from '@tollgate/core';
import type { DayRange } from '../invoice-document.js';
import { type InvoiceFailure, invalid } from '../invoice-failure.js';

/** A statement covers at most a (leap) year: longer ones are split by the caller. */
export const MAX_STATEMENT_DAYS = 366;

/** Days of the account's zone, [fromDay, toDay), and the instants they begin. */
export interface StatementPeriod {
  readonly fromDay: number;
  readonly toDay: number;
  /** The first instant of each day of the period, then the instant the period ends. */
  readonly dayStartsMs: readonly number[];
  /** As the document prints it: first and last day included. */
  readonly days: DayRange;
}

export type StatementPeriodResult = { readonly ok: true; readonly period: StatementPeriod } | InvoiceFailure;

/**
 * The period of a statement from its ISO dates, `to` excluded (2026-03-01 to 2026-04-01 is
 * March). The days are local days of the account, so a statement of March in Berlin starts at
 * 23:00 UTC on the last day of February, and a day of a daylight-saving change has 23 or 25 hours.
 */
export function statementPeriodOf(
  from: string | undefined,
  to: string | undefined,
  clock: ZoneClock,
): StatementPeriodResult {
  const fromDay = dayOf('/from', from);
  if (typeof fromDay !== 'number') return fromDay;
  const toDay = dayOf('/to', to);
  if (typeof toDay !== 'number') return toDay;
  if (toDay <= fromDay) return invalid('/to', `to (${to}) must be after from (${from}): it is excluded`);
  if (toDay - fromDay > MAX_STATEMENT_DAYS)
    return invalid('/to', `a statement covers at most ${MAX_STATEMENT_DAYS} days`);
  const dayStartsMs = Array.from({ length: toDay - fromDay + 1 }, (_, index) =>
    startOfLocalDayMs(clock, fromDay + index),
  );
  return {
    ok: true,
    period: {
      fromDay,
      toDay,
      dayStartsMs,
      days: { from: isoDateOfDay(fromDay), to: isoDateOfDay(toDay - 1) },
    },
  };
}

function dayOf(field: string, text: string | undefined): number | InvoiceFailure {
  if (text === undefined) return invalid(field, `${field.slice(1)} is required (YYYY-MM-DD)`);
  try {
    return dayOfIsoDate(text);
  } catch (error) {
    if (error instanceof RangeError) return invalid(field, error.message);
    throw error;
  }
}
