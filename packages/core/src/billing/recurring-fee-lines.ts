import { getCurrency } from '../money/currency.js';
import { pow10 } from '../money/decimal.js';
import { MICROS_SCALE } from '../money/money.js';
import { divideRounded } from '../money/rounding-mode.js';
import {
  CYCLE_UNITS,
  type CycleRule,
  type CycleUnit,
  checkCycleRule,
  cycleContaining,
  type DaySpan,
  feeWindowRule,
  intersectSpans,
  isoDateOfDay,
  MAX_CYCLE_DAYS,
  spanDays,
} from './bill-cycle.js';

/** A run of days a line is billable on one plan version. */
export interface FeeSegment {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
  /** The plan's name, as the invoice prints it. */
  readonly label: string;
  /** The fee per fee period, in the invoice currency, >= 0. One plan version has one fee. */
  readonly feeMicros: bigint;
  readonly feeUnit: CycleUnit;
  /** An open-ended line ends at most MAX_SEGMENT_DAYS after it starts. */
  readonly span: DaySpan;
}

/** A recurring line already on an earlier invoice. A FeeLine is one, so output can be fed back. */
export interface BilledFee {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
  /** The fee window the line was computed in. */
  readonly window: DaySpan;
  /** The days it charged (amount > 0) or took back (amount < 0); a zero amount carries no days. */
  readonly span: DaySpan;
  readonly amountMicros: bigint;
  /** The fee it was computed from: a credit takes days back at the price they were charged at. */
  readonly feeMicros: bigint;
  /** The label it was printed with, reused by its credits when the line has no segment left. */
  readonly label?: string;
}

/** A recurring charge or credit for one run of consecutive days inside one fee window. */
export interface FeeLine {
  readonly kind: 'recurring' | 'recurring_credit';
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
  readonly label: string;
  readonly window: DaySpan;
  readonly span: DaySpan;
  readonly days: number;
  readonly windowDays: number;
  readonly feeMicros: bigint;
  /** Rounded to the currency's minor unit; negative for recurring_credit. */
  readonly amountMicros: bigint;
}

/**
 * One account's recurring fees to settle. History may be clipped to keep calls small, but then
 * segments and billed lines alike, at the start of a fee window: a window that sees only part of
 * its history would charge or credit the rest.
 */
export interface RecurringFeeInput {
  /** The invoice currency, in which every fee and billed amount is given. */
  readonly currency: string;
  readonly accountRule: CycleRule;
  readonly segments: readonly FeeSegment[];
  /** Every recurring line and credit already invoiced for these days (a FeeLine is one). */
  readonly billed: readonly BilledFee[];
  /** Windows that start before this day are billed (the end of the cycle billed in advance). */
  readonly throughDay: number;
}

/**
 * Fee windows one line on one plan version may span in one call. Beyond it the caller is passing
 * history that was settled long ago: clip segments and billed lines to recent windows instead.
 */
export const MAX_FEE_WINDOWS_PER_LINE = 1000;

/** The longest segment: an open-ended line is passed as ending this many days after it starts. */
export const MAX_SEGMENT_DAYS = 100_000;

/**
 * The recurring lines an invoice must add so that what was billed matches what is billable.
 * Fees are billed in advance, per fee window, and corrected later when the line's history changes
 * (activation mid-cycle, plan change, pause, termination).
 *
 * The rule: a line is billable on each local day on which it is active on a plan version. The fee
 * for a run of days D inside one fee window W (the window of the plan's fee period, aligned by
 * feeWindowRule) is fee × |D| / |W|, rounded to the currency's minor unit half-up (half away from
 * zero); a whole window costs exactly the fee. Days that were billed but are no longer billable
 * (the line was paused, terminated or changed plan after the window was invoiced) are credited by
 * the same formula, negated (the absolute value is rounded, then negated), at the fee and window
 * of the line that charged them; when every day of a billed line is taken back at once, the
 * credit is exactly minus that line's amount.
 *
 * For each line and plan version, and each fee window starting before throughDay that holds a
 * billable or billed day: days billable and not billed become `recurring` lines, days billed and
 * no longer billable become `recurring_credit` lines, one line per run of consecutive days (and,
 * for credits, per charge taken back from). A run whose amount rounds to zero gives no line: its
 * days are priced again with their neighbours next time. Running again with the output added to
 * `billed` gives no lines. Lines come sorted by subscription, window, first day, credits first.
 * Inconsistent input (overlapping segments, a day charged twice) is a bug upstream and throws.
 */
export function recurringFeeLines(input: RecurringFeeInput): FeeLine[] {
  const stepMicros = minorUnitStepMicros(input.currency);
  const rule = checkCycleRule(input.accountRule);
  if (!rule.ok) throw new RangeError(`recurringFeeLines: ${rule.error.message}`);
  if (!Number.isSafeInteger(input.throughDay)) {
    throw new RangeError(`recurringFeeLines: throughDay ${input.throughDay} is not a day number`);
  }
  const lines: FeeLine[] = [];
  for (const group of groupByLine(input.segments, input.billed).values()) {
    for (const window of feeWindowsOf(group, input)) lines.push(...windowLines(group, window, stepMicros));
  }
  return lines.sort(compareFeeLines);
}

/** The segments and billed lines of one line on one plan version. */
interface LineGroup {
  /** How messages name the group. */
  readonly name: string;
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
  /** Sorted by first day, not overlapping. */
  readonly segments: FeeSegment[];
  /** Without zero amounts. */
  readonly billed: BilledFee[];
}

interface LineKey {
  readonly subscriptionId: string;
  readonly planId: string;
  readonly planVersionId: string;
}

function groupByLine(segments: readonly FeeSegment[], billed: readonly BilledFee[]): Map<string, LineGroup> {
  const groups = new Map<string, LineGroup>();
  for (const segment of segments) {
    checkSegment(segment);
    groupOf(groups, segment).segments.push(segment);
  }
  for (const line of billed) {
    checkBilled(line);
    if (line.amountMicros !== 0n) groupOf(groups, line).billed.push(line);
  }
  for (const group of groups.values()) checkSegmentsOfGroup(group);
  return groups;
}

function groupOf(groups: Map<string, LineGroup>, key: LineKey): LineGroup {
  const id = JSON.stringify([key.subscriptionId, key.planId, key.planVersionId]);
  let group = groups.get(id);
  if (group === undefined) {
    group = {
      name: `subscription "${key.subscriptionId}" plan "${key.planId}" version "${key.planVersionId}"`,
      subscriptionId: key.subscriptionId,
      planId: key.planId,
      planVersionId: key.planVersionId,
      segments: [],
      billed: [],
    };
    groups.set(id, group);
  }
  return group;
}

/**
 * The fee windows to look at, sorted: the windows of the plan's fee period that start before
 * throughDay and hold a billable or billed day. A line with no segment left has no fee period to
 * go by, so it uses the windows its billed lines were computed in (made disjoint, should the bill
 * cycle have moved), which is all its credits need.
 */
function feeWindowsOf(group: LineGroup, input: RecurringFeeInput): DaySpan[] {
  const first = group.segments[0];
  if (first === undefined) return billedWindowsOf(group, input.throughDay);
  const rule = feeWindowRule(input.accountRule, first.feeUnit);
  const windows = new Map<number, DaySpan>();
  const spans = [...group.segments.map((segment) => segment.span), ...group.billed.map((line) => line.span)];
  for (const span of spans) addWindowsOf(windows, rule, span, input.throughDay, group.name);
  return [...windows.values()].sort((a, b) => a.fromDay - b.fromDay);
}

/**
 * Adds the windows holding days of `span`. The windows of one span are distinct, so the loop ends
 * by the size check at the latest.
 */
function addWindowsOf(
  windows: Map<number, DaySpan>,
  rule: CycleRule,
  span: DaySpan,
  throughDay: number,
  name: string,
): void {
  let window = cycleContaining(rule, span.fromDay);
  while (window.fromDay < span.toDay && window.fromDay < throughDay) {
    windows.set(window.fromDay, window);
    if (windows.size > MAX_FEE_WINDOWS_PER_LINE) {
      throw new RangeError(`${name} spans more than ${MAX_FEE_WINDOWS_PER_LINE} fee windows`);
    }
    window = cycleContaining(rule, window.toDay);
  }
}

function billedWindowsOf(group: LineGroup, throughDay: number): DaySpan[] {
  const windows = group.billed
    .map((line) => line.window)
    .filter((window) => window.fromDay < throughDay)
    .sort((a, b) => a.fromDay - b.fromDay || a.toDay - b.toDay);
  const disjoint: DaySpan[] = [];
  let coveredToDay = Number.NEGATIVE_INFINITY;
  for (const window of windows) {
    const fromDay = Math.max(window.fromDay, coveredToDay);
    if (fromDay < window.toDay) disjoint.push({ fromDay, toDay: window.toDay });
    coveredToDay = Math.max(coveredToDay, window.toDay);
  }
  if (disjoint.length > MAX_FEE_WINDOWS_PER_LINE) {
    throw new RangeError(`${group.name} spans more than ${MAX_FEE_WINDOWS_PER_LINE} fee windows`);
  }
  return disjoint;
}

/** What each day of a window is: billable or not, and billed by which charge (null: not billed). */
interface WindowDays {
  readonly billable: readonly boolean[];
  readonly chargedBy: readonly (BilledFee | null)[];
}

function windowLines(group: LineGroup, window: DaySpan, stepMicros: bigint): FeeLine[] {
  const days = windowDaysOf(group, window);
  return [...creditLines(group, days, window, stepMicros), ...chargeLines(group, days, window, stepMicros)];
}

function windowDaysOf(group: LineGroup, window: DaySpan): WindowDays {
  const length = spanDays(window);
  if (length > MAX_CYCLE_DAYS) throw new Error(`${group.name}: a fee window of ${length} days`);
  const billable = new Array<boolean>(length).fill(false);
  for (const segment of group.segments) {
    forEachDayIndex(window, segment.span, (index) => {
      billable[index] = true;
    });
  }
  const net = new Array<number>(length).fill(0);
  const chargedBy = new Array<BilledFee | null>(length).fill(null);
  for (const line of group.billed) {
    forEachDayIndex(window, line.span, (index) => {
      net[index] = (net[index] ?? 0) + (line.amountMicros > 0n ? 1 : -1);
      if (line.amountMicros > 0n && isCloserCharge(line, chargedBy[index] ?? null)) chargedBy[index] = line;
    });
  }
  net.forEach((count, index) => {
    if (count !== 0 && count !== 1) {
      const date = dayText(window.fromDay + index);
      throw new Error(`${group.name}: ${date} is billed ${count} times net (charges minus credits)`);
    }
    if (count === 0) chargedBy[index] = null;
  });
  return { billable, chargedBy };
}

/**
 * Which charge a day billed by several (charged, credited, charged again) is taken back from: the
 * shortest, which is the one a later charge made for exactly those days; ties keep the first.
 */
function isCloserCharge(candidate: BilledFee, current: BilledFee | null): boolean {
  return current === null || spanDays(candidate.span) < spanDays(current.span);
}

function forEachDayIndex(window: DaySpan, span: DaySpan, visit: (index: number) => void): void {
  const shared = intersectSpans(window, span);
  if (shared === null) return;
  for (let day = shared.fromDay; day < shared.toDay; day++) visit(day - window.fromDay);
}

function chargeLines(group: LineGroup, days: WindowDays, window: DaySpan, stepMicros: bigint): FeeLine[] {
  const segment = group.segments[0];
  if (segment === undefined) return [];
  const windowDays = spanDays(window);
  const lines: FeeLine[] = [];
  const runs = runsOf(
    windowDays,
    (index) => (days.billable[index] && days.chargedBy[index] === null) || null,
  );
  for (const run of runs) {
    const span = { fromDay: window.fromDay + run.fromIndex, toDay: window.fromDay + run.toIndex };
    const amountMicros = proRataMicros(segment.feeMicros, spanDays(span), windowDays, stepMicros);
    if (amountMicros === 0n) continue;
    lines.push({
      kind: 'recurring',
      ...keyOf(group),
      label: segment.label,
      window,
      span,
      days: spanDays(span),
      windowDays,
      feeMicros: segment.feeMicros,
      amountMicros,
    });
  }
  return lines;
}

function creditLines(group: LineGroup, days: WindowDays, window: DaySpan, stepMicros: bigint): FeeLine[] {
  const lines: FeeLine[] = [];
  const runs = runsOf(spanDays(window), (index) =>
    days.billable[index] ? null : (days.chargedBy[index] ?? null),
  );
  for (const run of runs) {
    const charge = run.value;
    const span = { fromDay: window.fromDay + run.fromIndex, toDay: window.fromDay + run.toIndex };
    const windowDays = spanDays(charge.window);
    const amountMicros = sameSpan(span, charge.span)
      ? -charge.amountMicros
      : -proRataMicros(charge.feeMicros, spanDays(span), windowDays, stepMicros);
    if (amountMicros === 0n) continue;
    lines.push({
      kind: 'recurring_credit',
      ...keyOf(group),
      label: charge.label ?? group.segments[0]?.label ?? group.planId,
      window: charge.window,
      span,
      days: spanDays(span),
      windowDays,
      feeMicros: charge.feeMicros,
      amountMicros,
    });
  }
  return lines;
}

interface Run<T> {
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly value: T;
}

/** Maximal runs of consecutive indexes in [0, length) with the same non-null value. */
function runsOf<T>(length: number, valueAt: (index: number) => T | null): Run<T>[] {
  const runs: Run<T>[] = [];
  let open: { fromIndex: number; value: T } | null = null;
  for (let index = 0; index <= length; index++) {
    const value = index < length ? valueAt(index) : null;
    if (open !== null && value === open.value) continue;
    if (open !== null) runs.push({ fromIndex: open.fromIndex, toIndex: index, value: open.value });
    open = value === null ? null : { fromIndex: index, value };
  }
  return runs;
}

/**
 * fee × days / windowDays rounded once, half away from zero, to the minor unit (`stepMicros`);
 * a whole window is the fee itself, so whole windows add up to exactly fee × windows.
 */
function proRataMicros(feeMicros: bigint, days: number, windowDays: number, stepMicros: bigint): bigint {
  if (days === windowDays) return feeMicros;
  return divideRounded(feeMicros * BigInt(days), BigInt(windowDays) * stepMicros, 'half-up') * stepMicros;
}

/** Micro-units in one minor unit (10 000 for EUR); units without a minor unit keep micro-units. */
function minorUnitStepMicros(currency: string): bigint {
  const info = getCurrency(currency);
  if (info === undefined) throw new RangeError(`recurringFeeLines: unknown currency "${currency}"`);
  return info.minorUnits === null ? 1n : pow10(MICROS_SCALE - info.minorUnits);
}

function keyOf(group: LineGroup): LineKey {
  return { subscriptionId: group.subscriptionId, planId: group.planId, planVersionId: group.planVersionId };
}

function sameSpan(a: DaySpan, b: DaySpan): boolean {
  return a.fromDay === b.fromDay && a.toDay === b.toDay;
}

function checkSegment(segment: FeeSegment): void {
  const name = `segment of subscription "${segment.subscriptionId}" plan version "${segment.planVersionId}"`;
  checkSpan(segment.span, name);
  if (spanDays(segment.span) > MAX_SEGMENT_DAYS) {
    throw new RangeError(`${name} is longer than ${MAX_SEGMENT_DAYS} days`);
  }
  if (segment.feeMicros < 0n) throw new RangeError(`${name} has a negative fee`);
  if (!CYCLE_UNITS.includes(segment.feeUnit))
    throw new RangeError(`${name} has fee unit "${segment.feeUnit}"`);
}

function checkBilled(line: BilledFee): void {
  const name = `billed line of subscription "${line.subscriptionId}" plan version "${line.planVersionId}"`;
  checkSpan(line.window, `${name} window`);
  checkSpan(line.span, name);
  if (spanDays(line.window) > MAX_CYCLE_DAYS) throw new RangeError(`${name} has a window beyond a year`);
  if (line.span.fromDay < line.window.fromDay || line.span.toDay > line.window.toDay) {
    throw new RangeError(`${name} has days outside its window`);
  }
  if (line.feeMicros < 0n) throw new RangeError(`${name} has a negative fee`);
}

function checkSpan(span: DaySpan, name: string): void {
  if (
    !Number.isSafeInteger(span.fromDay) ||
    !Number.isSafeInteger(span.toDay) ||
    span.fromDay >= span.toDay
  ) {
    throw new RangeError(`${name} has no days: [${span.fromDay}, ${span.toDay})`);
  }
}

/** One plan version has one fee and one fee period, and a line is on it once on any day. */
function checkSegmentsOfGroup(group: LineGroup): void {
  group.segments.sort((a, b) => a.span.fromDay - b.span.fromDay);
  const first = group.segments[0];
  let previous: FeeSegment | null = null;
  for (const segment of group.segments) {
    if (first !== undefined && (segment.feeMicros !== first.feeMicros || segment.feeUnit !== first.feeUnit)) {
      throw new RangeError(`${group.name} has segments with different fees`);
    }
    if (previous !== null && segment.span.fromDay < previous.span.toDay) {
      throw new RangeError(`${group.name} has overlapping segments on ${dayText(segment.span.fromDay)}`);
    }
    previous = segment;
  }
}

/** A day for a message: its date where it has a 4-digit year, else its number. */
function dayText(day: number): string {
  return day >= FIRST_ISO_DAY && day <= LAST_ISO_DAY ? isoDateOfDay(day) : `day ${day}`;
}

/** 0000-01-01 and 9999-12-31. */
const FIRST_ISO_DAY = -719_528;
const LAST_ISO_DAY = 2_932_896;

function compareFeeLines(a: FeeLine, b: FeeLine): number {
  return (
    compareText(a.subscriptionId, b.subscriptionId) ||
    a.window.fromDay - b.window.fromDay ||
    a.window.toDay - b.window.toDay ||
    a.span.fromDay - b.span.fromDay ||
    kindRank(a) - kindRank(b) ||
    compareText(a.planId, b.planId) ||
    compareText(a.planVersionId, b.planVersionId) ||
    a.span.toDay - b.span.toDay
  );
}

function kindRank(line: FeeLine): number {
  return line.kind === 'recurring_credit' ? 0 : 1;
}

/** By UTF-16 code units, not locale: the order must not depend on where the server runs. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
