import type { FieldError } from '../http/problem.js';
import type { ReportDefinition, ReportInterval, ReportScope } from './report-definition.js';

export interface ReportQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly interval?: string | undefined;
  readonly currency?: string | undefined;
}

export type ScopeResult =
  | { readonly ok: true; readonly scope: ReportScope }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CURRENCY = /^[A-Z]{3}$/;
const INTERVALS: readonly ReportInterval[] = ['day', 'week', 'month'];
/** The longest range a report covers: about three years, so a day interval stays a page of rows. */
export const MAX_REPORT_DAYS = 1_100;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar date, or null. */
function dayNumberOf(text: string): number | null {
  const match = DATE.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return ms / DAY_MS;
}

function isoOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Today in an IANA zone as YYYY-MM-DD. */
export function localToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The last 12 whole months before `today`: the first day 12 months back to the last day of last month. */
export function defaultRange(today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const firstOfThisMonth = Date.UTC(year, month - 1, 1) / DAY_MS;
  const from = Date.UTC(year, month - 13, 1) / DAY_MS;
  return { from: isoOf(from), to: isoOf(firstOfThisMonth - 1) };
}

/**
 * The scope of a report from its query: dates are real calendar days (YYYY-MM-DD, `to`
 * included, not before `from`, at most MAX_REPORT_DAYS), the interval one of day, week, month
 * (month by default where the report has one), the currency an ISO 4217 code. A parameter the
 * report does not take is ignored. Every bad field is named.
 */
export function scopeOf(
  report: ReportDefinition,
  query: ReportQuery,
  tenantId: string | null,
  today: string,
): ScopeResult {
  const errors: FieldError[] = [];
  const fallback = defaultRange(today);
  const fromDay = dayNumberOf(query.from ?? fallback.from);
  const toDay = dayNumberOf(query.to ?? fallback.to);
  if (fromDay === null) errors.push({ field: '/from', message: 'must be a date, YYYY-MM-DD' });
  if (toDay === null) errors.push({ field: '/to', message: 'must be a date, YYYY-MM-DD' });
  if (fromDay !== null && toDay !== null) {
    if (toDay < fromDay) errors.push({ field: '/to', message: 'must not be before from' });
    else if (toDay - fromDay + 1 > MAX_REPORT_DAYS)
      errors.push({ field: '/to', message: `the range may span at most ${MAX_REPORT_DAYS} days` });
  }
  const takesInterval = report.parameters.includes('interval');
  let interval: ReportInterval | null = takesInterval ? 'month' : null;
  if (takesInterval && query.interval !== undefined) {
    if ((INTERVALS as readonly string[]).includes(query.interval))
      interval = query.interval as ReportInterval;
    else errors.push({ field: '/interval', message: 'must be day, week or month' });
  }
  let currency: string | null = null;
  if (report.parameters.includes('currency') && query.currency !== undefined) {
    if (CURRENCY.test(query.currency)) currency = query.currency;
    else errors.push({ field: '/currency', message: 'must be an ISO 4217 code such as EUR' });
  }
  if (errors.length > 0 || fromDay === null || toDay === null) return { ok: false, errors };
  return { ok: true, scope: { tenantId, from: isoOf(fromDay), to: isoOf(toDay), interval, currency } };
}
