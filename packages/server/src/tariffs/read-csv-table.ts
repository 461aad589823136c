import { parse } from 'csv-parse/sync';
import type { ImportIssues } from './import-issue.js';

/** One data row of a CSV table: its 1-based line in the file and its trimmed values by column. */
export interface CsvRow<C extends string> {
  readonly line: number;
  readonly values: Readonly<Record<C, string>>;
}

const LINE_BREAK = /\r\n|\r|\n/g;
/** Any UTF-16 surrogate: csv-parse reads the text as UTF-8 bytes, which turns a lone one into U+FFFD. */
const SURROGATE = /[\uD800-\uDFFF]/;
const BYTE_ORDER_MARK = 0xfeff;
const HASH = 0x23;

/**
 * Reads a CGRateS-style CSV table: lines starting with `#` are comments (the header is one), blank
 * lines are skipped, fields are trimmed, and every row must have exactly `columns.length` fields.
 * Problems are recorded in `issues` with the file and line; rows with the wrong number of fields
 * are reported and left out, and a record that is not valid CSV is reported and skipped.
 */
export function readCsvTable<const C extends string>(
  file: string,
  text: string,
  columns: readonly C[],
  issues: ImportIssues,
): CsvRow<C>[] {
  // csv-parse counts a CRLF inside a quoted field as two lines; with one line-break form its line
  // numbers stay exact.
  const normalised = text.includes('\r') ? text.replace(LINE_BREAK, '\n') : text;
  // Without quotes every record is one line and nothing can be malformed, so a plain split reads
  // exactly what csv-parse would, several times faster; quoted files go through csv-parse.
  return normalised.includes('"') || SURROGATE.test(normalised)
    ? readQuotedTable(file, normalised, columns, issues)
    : readPlainTable(file, normalised, columns, issues);
}

/**
 * A table without quotes, read as csv-parse reads it with the options below: a leading byte order
 * mark is dropped, a line that is empty or white space (JavaScript's \s, the characters csv-parse
 * trims) or whose first other character is `#` holds no record, and every other line is one record
 * whose fields are split at each comma and trimmed.
 */
function readPlainTable<const C extends string>(
  file: string,
  text: string,
  columns: readonly C[],
  issues: ImportIssues,
): CsvRow<C>[] {
  const rows: CsvRow<C>[] = [];
  const columnCount = columns.length;
  const length = text.length;
  let start = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  // The next comma at or after `start`; searched for again only once passed, so every character is
  // looked at once even when lines have no commas.
  let nextComma = -1;
  for (let line = 1; start <= length; line += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? length : newline;
    if (holdsRecord(text, start, end)) {
      const values = {} as Record<C, string>;
      let fieldCount = 0;
      let fieldStart = start;
      for (;;) {
        if (nextComma < fieldStart) {
          nextComma = text.indexOf(',', fieldStart);
          if (nextComma === -1) nextComma = length;
        }
        const fieldEnd = nextComma < end ? nextComma : end;
        const column = columns[fieldCount];
        if (column !== undefined) values[column] = text.slice(fieldStart, fieldEnd).trim();
        fieldCount += 1;
        if (fieldEnd === end) break;
        fieldStart = fieldEnd + 1;
      }
      if (fieldCount === columnCount) rows.push({ line, values });
      else reportColumnCount(file, line, columns, fieldCount, issues);
    }
    start = end + 1;
  }
  return rows;
}

/** Whether the line from `start` to `end` is neither blank nor a comment. */
function holdsRecord(text: string, start: number, end: number): boolean {
  if (start === end) return false;
  const first = text.charCodeAt(start);
  if (first === HASH) return false;
  // Every white-space character is at most U+0020 or at least U+00A0.
  if (first > 0x20 && first < 0xa0) return true;
  const rest = text.slice(start, end).trimStart();
  return rest !== '' && rest.charCodeAt(0) !== HASH;
}

/** Any table, read by csv-parse; the line of each record is counted from where the record ends. */
function readQuotedTable<const C extends string>(
  file: string,
  normalised: string,
  columns: readonly C[],
  issues: ImportIssues,
): CsvRow<C>[] {
  const endLines: number[] = [];
  // Records after a syntax error are skipped (an unclosed quote swallows the rest of the file),
  // but those before it are kept, so references to them do not fail as well.
  const records = parse(normalised, {
    bom: true,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = typeof error?.lines === 'number' ? error.lines : 0;
      issues.error({ file, line }, 'csv_syntax', `not valid CSV: ${error?.message ?? 'unreadable record'}`);
      return undefined;
    },
    on_record: (record: string[], context) => {
      endLines.push(context.lines);
      return record;
    },
  });
  const rows: CsvRow<C>[] = [];
  records.forEach((fields, index) => {
    const endLine = endLines[index];
    if (endLine === undefined) throw new Error('readCsvTable: csv-parse reported no line for a record');
    // A quoted field may span lines; point at the line where the record starts.
    const line = endLine - fields.reduce((sum, field) => sum + countNewlines(field), 0);
    if (fields.length !== columns.length) {
      reportColumnCount(file, line, columns, fields.length, issues);
      return;
    }
    rows.push({ line, values: zipColumns(columns, fields) });
  });
  return rows;
}

function countNewlines(field: string): number {
  let count = 0;
  for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) count += 1;
  return count;
}

function reportColumnCount(
  file: string,
  line: number,
  columns: readonly string[],
  found: number,
  issues: ImportIssues,
): void {
  issues.error(
    { file, line },
    'wrong_column_count',
    `expected ${columns.length} columns (${columns.join(',')}), found ${found}`,
  );
}

function zipColumns<C extends string>(columns: readonly C[], fields: readonly string[]): Record<C, string> {
  const values = {} as Record<C, string>;
  columns.forEach((column, index) => {
    values[column] = fields[index] ?? '';
  });
  return values;
}

/** The native format's bound on identifiers. */
const MAX_ID_LENGTH = 200;

/**
 * The value of an identifier column, or undefined (with an error recorded) when it is empty or
 * longer than the native format allows.
 */
export function readIdCell<C extends string>(
  file: string,
  row: CsvRow<C>,
  column: C,
  issues: ImportIssues,
): string | undefined {
  const value = row.values[column];
  if (value === '') {
    issues.error({ file, line: row.line, column }, 'empty_field', `${column} must not be empty`);
    return undefined;
  }
  if (value.length > MAX_ID_LENGTH) {
    issues.error(
      { file, line: row.line, column },
      'id_too_long',
      `${column} is ${value.length} characters long; at most ${MAX_ID_LENGTH} are allowed`,
    );
    return undefined;
  }
  return value;
}
