import { civilFromDays, daysFromCivil, MS_PER_DAY, type ZoneClock } from '../rating/zone-clock.js';
import { fail, ok, type Result } from '../result.js';

/** How long a bill cycle or a fee window lasts. */
export type CycleUnit = 'week' | 'month' | 'quarter' | 'year';

/** Every cycle unit, shortest first: for schemas and checks of input from outside. */
export const CYCLE_UNITS: readonly CycleUnit[] = ['week', 'month', 'quarter', 'year'];

/**
 * Where cycles start. month: on anchorDay (1..28) of every month; quarter: on anchorDay of
 * anchorMonth (1..12) and every third month from it; year: on anchorDay of anchorMonth; week:
 * anchorDay is the ISO weekday (1 = Monday .. 7 = Sunday) cycles start on, anchorMonth ignored.
 * Anchor days stop at 28 so that every month has the day: a cycle never starts on a day that
 * February lacks, and every cycle of a unit has a start in every period.
 */
export interface CycleRule {
  readonly unit: CycleUnit;
  readonly anchorDay: number;
  readonly anchorMonth: number;
}

/**
 * Local calendar days (days since 1970-01-01 in the account's zone, as ZoneClock's dayNumber),
 * half-open [fromDay, toDay): consecutive spans then meet without sharing a day.
 */
export interface DaySpan {
  readonly fromDay: number;
  readonly toDay: number;
}

/** The longest cycle (a leap year): a bound for every loop over the days of one cycle. */
export const MAX_CYCLE_DAYS = 366;

/**
 * Day numbers this module accepts: the days ECMAScript's Date can represent (±10^8 days from
 * 1970), less a margin for time-zone offsets, so that every day has an instant.
 */
const MAX_ABS_DAY = 99_999_990;

const MONTHS_PER_UNIT = { month: 1, quarter: 3, year: 12 } as const;

/**
 * The cycle of `rule` that holds local day `day`. Cycles tile the calendar: the next one starts
 * on this one's toDay, so a day is billed in exactly one cycle.
 */
export function cycleContaining(rule: CycleRule, day: number): DaySpan {
  assertDay(day);
  const checked = checkCycleRule(rule);
  if (!checked.ok) throw new RangeError(`cycleContaining: ${checked.error.message}`);
  if (rule.unit === 'week') return weekContaining(rule.anchorDay, day);
  return monthsContaining(MONTHS_PER_UNIT[rule.unit], rule, day);
}

/** The number of days in a span (zero or more). */
export function spanDays(span: DaySpan): number {
  return Math.max(0, span.toDay - span.fromDay);
}

/** The days two spans share, or null when they share none. */
export function intersectSpans(a: DaySpan, b: DaySpan): DaySpan | null {
  const fromDay = Math.max(a.fromDay, b.fromDay);
  const toDay = Math.min(a.toDay, b.toDay);
  return fromDay < toDay ? { fromDay, toDay } : null;
}

/**
 * The rule the fee windows of a plan with its own fee period follow on an account billed by
 * `accountRule`, so that a plan's windows line up with the account's cycles wherever the units
 * allow it: the same unit takes the account rule; month, quarter and year take the account's
 * anchorDay (1 if the account is weekly, as a weekday is no month day) and anchorMonth; week takes
 * the account's weekday if the account is weekly, else Monday (ISO 8601's first day of the week).
 */
export function feeWindowRule(accountRule: CycleRule, feeUnit: CycleUnit): CycleRule {
  if (feeUnit === accountRule.unit) return accountRule;
  const accountIsWeekly = accountRule.unit === 'week';
  if (feeUnit === 'week') {
    return {
      unit: 'week',
      anchorDay: accountIsWeekly ? accountRule.anchorDay : 1,
      anchorMonth: accountRule.anchorMonth,
    };
  }
  return {
    unit: feeUnit,
    anchorDay: accountIsWeekly ? 1 : accountRule.anchorDay,
    anchorMonth: accountRule.anchorMonth,
  };
}

/**
 * The instant local day `day` begins in `clock`'s zone: local midnight, or, where midnight does
 * not exist that day (a daylight-saving change at midnight, as Santiago and São Paulo have had),
 * the first instant the day shows. Cycles are local days, but usage and payments are instants.
 */
export function startOfLocalDayMs(clock: ZoneClock, day: number): number {
  assertDay(day);
  const localMidnightMs = day * MS_PER_DAY;
  const guessMs = localMidnightMs - clock.offsetAt(localMidnightMs - clock.offsetAt(localMidnightMs));
  if (localDayAt(clock, guessMs) === day && localDayAt(clock, guessMs - 1) < day) return guessMs;
  return bisectDayStartMs(clock, day);
}

/** 'YYYY-MM-DD' (ISO 8601 calendar date) of a day number, for documents and messages. */
export function isoDateOfDay(day: number): string {
  assertDay(day);
  const { year, month, monthDay } = civilFromDays(day);
  if (year < 0 || year > 9999) throw new RangeError(`isoDateOfDay: year ${year} has no 4-digit form`);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(monthDay)}`;
}

/** The day number of a 'YYYY-MM-DD' date; throws RangeError on anything else (e.g. 2026-02-30). */
export function dayOfIsoDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) throw new RangeError(`"${text}" is not a YYYY-MM-DD date`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const monthDay = Number(match[3]);
  const day = daysFromCivil(year, month, monthDay);
  const back = civilFromDays(day);
  if (month < 1 || month > 12 || back.year !== year || back.month !== month || back.monthDay !== monthDay) {
    throw new RangeError(`"${text}" is not a calendar date`);
  }
  return day;
}

/**
 * Checks a rule from outside (an API request, a stored profile): the unit is known, anchorDay is
 * 1..28 (1..7 for weeks), anchorMonth 1..12. The failure (`invalid_cycle_rule`) names the field.
 */
export function checkCycleRule(rule: CycleRule): Result<CycleRule> {
  if (typeof rule !== 'object' || rule === null)
    return fail('invalid_cycle_rule', 'the cycle rule must be an object');
  if (!(CYCLE_UNITS as readonly unknown[]).includes(rule.unit)) {
    return fail('invalid_cycle_rule', `unit must be one of ${CYCLE_UNITS.join(', ')}`);
  }
  const maxAnchorDay = rule.unit === 'week' ? 7 : 28;
  if (!isIntegerIn(rule.anchorDay, 1, maxAnchorDay)) {
    return fail('invalid_cycle_rule', `anchorDay must be a whole number from 1 to ${maxAnchorDay}`);
  }
  if (!isIntegerIn(rule.anchorMonth, 1, 12)) {
    return fail('invalid_cycle_rule', 'anchorMonth must be a whole number from 1 to 12');
  }
  return ok(rule);
}

function weekContaining(anchorWeekDay: number, day: number): DaySpan {
  const weekDay = modulo(day + 3, 7) + 1; // 1970-01-01 was a Thursday (ISO weekday 4)
  const fromDay = day - modulo(weekDay - anchorWeekDay, 7);
  return { fromDay, toDay: fromDay + 7 };
}

/** Cycles of `stepMonths` months starting on anchorDay, aligned on anchorMonth. */
function monthsContaining(stepMonths: number, rule: CycleRule, day: number): DaySpan {
  const { year, month, monthDay } = civilFromDays(day);
  // Months counted from year 0; a day before the anchor day belongs to the previous month's cycle.
  const monthIndex = year * 12 + (month - 1) - (monthDay < rule.anchorDay ? 1 : 0);
  const startIndex = monthIndex - modulo(monthIndex - (rule.anchorMonth - 1), stepMonths);
  return {
    fromDay: dayOfMonthIndex(startIndex, rule.anchorDay),
    toDay: dayOfMonthIndex(startIndex + stepMonths, rule.anchorDay),
  };
}

function dayOfMonthIndex(monthIndex: number, monthDay: number): number {
  const year = Math.floor(monthIndex / 12);
  return daysFromCivil(year, monthIndex - year * 12 + 1, monthDay);
}

function localDayAt(clock: ZoneClock, epochMs: number): number {
  return Math.floor((epochMs + clock.offsetAt(epochMs)) / MS_PER_DAY);
}

/**
 * The first instant of local day `day`, by bisection between two instants two days either side
 * of its UTC midnight: offsets stay within ±1 day, so the first lies on an earlier local day and
 * the second on a later one.
 */
function bisectDayStartMs(clock: ZoneClock, day: number): number {
  let lowMs = (day - 2) * MS_PER_DAY;
  let highMs = (day + 2) * MS_PER_DAY;
  if (!(localDayAt(clock, lowMs) < day && localDayAt(clock, highMs) >= day)) {
    throw new Error(`startOfLocalDayMs: ${clock.timeZone} has an offset beyond a day`);
  }
  // 4 days of milliseconds take 29 halvings; 64 is a bound, not an expectation.
  for (let step = 0; step < 64 && highMs - lowMs > 1; step++) {
    const middleMs = lowMs + Math.floor((highMs - lowMs) / 2);
    if (localDayAt(clock, middleMs) < day) lowMs = middleMs;
    else highMs = middleMs;
  }
  return highMs;
}

function assertDay(day: number): void {
  if (!Number.isSafeInteger(day) || Math.abs(day) > MAX_ABS_DAY) {
    throw new RangeError(`${day} is not a day number (a whole number within ±${MAX_ABS_DAY})`);
  }
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
