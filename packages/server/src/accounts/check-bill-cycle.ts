import { type CycleUnit, checkCycleRule } from '@tollgate/core';
import { type AccountFailure, unprocessable } from './account-failure.js';

/**
 * Whether an account's cycle fields go together, by the rule billing computes cycles with: a
 * weekly cycle starts on an ISO weekday, so its day is 1..7 (the database holds the same rule).
 * The schema has checked each field alone; together they can still be wrong, which is a 422
 * naming billCycleDay, the field to change.
 */
export function checkBillCycle(unit: CycleUnit, day: number, month: number): AccountFailure | null {
  if (checkCycleRule({ unit, anchorDay: day, anchorMonth: month }).ok) return null;
  return unprocessable(
    '/billCycleDay',
    unit === 'week'
      ? `a weekly bill cycle starts on an ISO weekday, 1 (Monday) to 7 (Sunday): ${day} is none`
      : `a ${unit}ly bill cycle starts on a day of the month from 1 to 28: ${day} is none`,
  );
}
