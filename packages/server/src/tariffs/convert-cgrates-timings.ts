import type { TimeBandDocument } from '@tollgate/core';
import { CGRATES_ANY } from './cgrates-any.js';
import type { ImportIssues } from './import-issue.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const TIMINGS_FILE = 'Timings.csv';
export const TIMING_COLUMNS = ['Id', 'Years', 'Months', 'MonthDays', 'WeekDays', 'Time'] as const;
export type TimingColumn = (typeof TIMING_COLUMNS)[number];

type ListColumn = 'Years' | 'Months' | 'MonthDays' | 'WeekDays';
type ListField = 'years' | 'months' | 'monthDays' | 'weekDays';

/** Each list column, its field in the native time band, and the values the native format accepts. */
const LISTS: readonly { column: ListColumn; field: ListField; min: number; max: number; what: string }[] = [
  { column: 'Years', field: 'years', min: 1970, max: 9999, what: 'years from 1970 to 9999' },
  { column: 'Months', field: 'months', min: 1, max: 12, what: 'months from 1 to 12' },
  { column: 'MonthDays', field: 'monthDays', min: 1, max: 31, what: 'days of the month from 1 to 31' },
  // CGRateS follows Go's time.Weekday (0 = Sunday) and also accepts 7 for Sunday; so does the
  // native format, so the numbers are kept as written.
  {
    column: 'WeekDays',
    field: 'weekDays',
    min: 0,
    max: 7,
    what: 'weekdays from 0 to 7 (0 and 7 are Sunday)',
  },
];

/** No list can usefully hold more values than there are years in the native range. */
const MAX_LIST_LENGTH = 8030;
const TIME_PATTERN = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const MIDNIGHT = '00:00:00';

export interface ConvertedTimings {
  readonly documents: TimeBandDocument[];
  /** Every id the file defines, including those whose rows had errors (so they do not cascade). */
  readonly ids: ReadonlySet<string>;
}

/**
 * Each row is one time band: `*any` (or empty) lists are left out, `;` lists become arrays, and
 * Time is the band's start (CGRateS has no end time: among matching timings the later start wins).
 */
export function convertCgratesTimings(
  rows: readonly CsvRow<TimingColumn>[],
  issues: ImportIssues,
): ConvertedTimings {
  const lines = new Map<string, number>();
  const documents: TimeBandDocument[] = [];
  for (const row of rows) {
    const id = readIdCell(TIMINGS_FILE, row, 'Id', issues);
    if (id === undefined) continue;
    const duplicateOf = lines.get(id);
    if (duplicateOf !== undefined || id === CGRATES_ANY) {
      issues.error(
        { file: TIMINGS_FILE, line: row.line, column: 'Id' },
        duplicateOf === undefined ? 'reserved_id' : 'duplicate_id',
        duplicateOf === undefined
          ? `${CGRATES_ANY} is built in (it matches every time) and cannot be defined`
          : `timing ${id} is already defined on line ${duplicateOf}`,
      );
      continue;
    }
    lines.set(id, row.line);
    const band = convertRow(id, row, issues);
    if (band !== undefined) documents.push(band);
  }
  return { documents, ids: new Set(lines.keys()) };
}

function convertRow(
  id: string,
  row: CsvRow<TimingColumn>,
  issues: ImportIssues,
): TimeBandDocument | undefined {
  const band: TimeBandDocument = { id };
  let valid = true;
  for (const list of LISTS) {
    const values = readList(row, list, issues);
    if (values === null) valid = false;
    else if (values !== undefined) band[list.field] = values;
  }
  const startTime = readStartTime(row, issues);
  if (startTime === undefined || !valid) return undefined;
  band.startTime = startTime;
  return band;
}

/** The list's values; undefined for `*any`; null when in error (recorded in `issues`). */
function readList(
  row: CsvRow<TimingColumn>,
  list: (typeof LISTS)[number],
  issues: ImportIssues,
): number[] | undefined | null {
  const text = row.values[list.column];
  if (text === '' || text === CGRATES_ANY) return undefined;
  const items = text.split(';').map((item) => item.trim());
  const values = items.map((item) => (/^\d{1,4}$/.test(item) ? Number(item) : Number.NaN));
  const bad = items.find((_, index) => {
    const value = values[index] ?? Number.NaN;
    return !(value >= list.min && value <= list.max);
  });
  if (bad !== undefined || items.length > MAX_LIST_LENGTH) {
    issues.error(
      { file: TIMINGS_FILE, line: row.line, column: list.column },
      'invalid_timing',
      bad === undefined
        ? `${list.column} lists more than ${MAX_LIST_LENGTH} values`
        : `${list.column} must be ${CGRATES_ANY} or a ;-separated list of ${list.what}; "${bad}" is not one`,
    );
    return null;
  }
  return values;
}

/** Time as HH:MM:SS; `*any` or empty means the band starts at midnight. */
function readStartTime(row: CsvRow<TimingColumn>, issues: ImportIssues): string | undefined {
  const text = row.values.Time;
  if (text === '' || text === CGRATES_ANY) return MIDNIGHT;
  const match = TIME_PATTERN.exec(text);
  const [, hours = '', minutes = '', seconds = '00'] = match ?? [];
  if (match === null || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    issues.error(
      { file: TIMINGS_FILE, line: row.line, column: 'Time' },
      'invalid_timing',
      `Time must be a start time HH:MM:SS (00:00:00 to 23:59:59) or ${CGRATES_ANY}, not "${text}"`,
    );
    return undefined;
  }
  return `${hours.padStart(2, '0')}:${minutes}:${seconds}`;
}
