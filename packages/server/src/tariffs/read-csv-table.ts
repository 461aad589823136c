import { parse } from 'csv-parse/sync';
import type { ImportIssues } from './import-issue.js';

/** One data row of a CSV table: its 1-based line in the file and its trimmed values by column. */
export interface CsvRow<C extends string> {
  readonly line: number;
  readonly values: Readonly<Record<C, string>>;
}

const LINE_BREAK = /\r\n|\r|\n/g;

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
  const normalised = text.replace(LINE_BREAK, '\n');
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
    const line = endLine - fields.reduce((sum, field) => sum + (field.match(LINE_BREAK)?.length ?? 0), 0);
    if (fields.length !== columns.length) {
      issues.error(
        { file, line },
        'wrong_column_count',
        `expected ${columns.length} columns (${columns.join(',')}), found ${fields.length}`,
      );
      return;
    }
    rows.push({ line, values: zipColumns(columns, fields) });
  });
  return rows;
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
