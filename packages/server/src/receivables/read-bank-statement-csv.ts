import { dayOfIsoDate, getCurrency, parseDecimal } from '@tollgate/core';
import { parse } from 'csv-parse/sync';

export type BankDateFormat = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'DD/MM/YYYY';
export type BankColumn = 'date' | 'amount' | 'currency' | 'reference' | 'counterparty';
export type BankDelimiter = ',' | ';' | '\t';

/** How a bank's CSV export is laid out; every field has a default (see docs/receivables.md). */
export interface BankStatementCsvOptions {
  /** Default: whichever of `,` `;` and tab the header line holds most of (`,` on a tie). */
  readonly delimiter?: BankDelimiter | undefined;
  /** Default `.`; the other one may group thousands (`1.234,56` with `,`). */
  readonly decimalSeparator?: '.' | ',' | undefined;
  /** Default `YYYY-MM-DD`. */
  readonly dateFormat?: BankDateFormat | undefined;
  /** Header names of the columns (matched without regard to case); default: the column's own name. */
  readonly columns?: Partial<Record<BankColumn, string>> | undefined;
  /** The currency of lines that name none: required when the file has no currency column. */
  readonly currency?: string | undefined;
}

/** One record of the file after the header, read as far as it could be. */
export interface BankCsvLine {
  /** The line of the file the record starts on; the header is line 1. */
  readonly lineNumber: number;
  /** ISO date, or null when the date could not be read. */
  readonly bookedOn: string | null;
  /** Signed micro-units (negative: money going out), or null when the amount could not be read. */
  readonly amountMicros: bigint | null;
  readonly currency: string | null;
  readonly reference: string;
  readonly counterparty: string;
  /** What could not be read, each naming its field; empty when the line is whole. */
  readonly problems: readonly string[];
}

export type ReadBankCsvResult =
  | { readonly ok: true; readonly lines: readonly BankCsvLine[] }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * Lines one statement file may hold. One import is one transaction, and each matched line records
 * a payment through the payments use case (some ten statements): about 6 ms a line on PostgreSQL,
 * 12 on PGlite, so this bounds an import to a minute or two and the locks it holds.
 */
export const MAX_BANK_STATEMENT_LINES = 10_000;
/** Text kept of a reference or counterparty (a payment's reference holds at most 255 characters). */
const MAX_TEXT_LENGTH = 1_000;
const LINE_BREAK = /\r\n|\r|\n/g;
const COLUMNS: readonly BankColumn[] = ['date', 'amount', 'currency', 'reference', 'counterparty'];

const DATE_PATTERNS: Readonly<Record<BankDateFormat, RegExp>> = {
  'YYYY-MM-DD': /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})$/,
  'DD.MM.YYYY': /^(?<day>\d{1,2})\.(?<month>\d{1,2})\.(?<year>\d{4})$/,
  'DD/MM/YYYY': /^(?<day>\d{1,2})\/(?<month>\d{1,2})\/(?<year>\d{4})$/,
};

/** An amount with the decimal point: digits, or thousands grouped by commas (strictly by three). */
const AMOUNT_WITH_POINT = /^(?<sign>[+-])?(?<whole>\d+|\d{1,3}(?:,\d{3})+)(?:\.(?<fraction>\d+))?$/;
/** An amount with the decimal comma: digits, or thousands grouped by points (strictly by three). */
const AMOUNT_WITH_COMMA = /^(?<sign>[+-])?(?<whole>\d+|\d{1,3}(?:\.\d{3})+)(?:,(?<fraction>\d+))?$/;

/**
 * Reads a bank statement exported as CSV: a header line naming the columns, then one booking per
 * record. A record that cannot be read whole (a bad date or amount, a missing column, broken
 * quoting) is kept with its problems, never dropped: the import stores it for review. Only a file
 * whose header lacks a needed column, or that holds no header or too many lines, is refused.
 */
export function readBankStatementCsv(
  content: string,
  options: BankStatementCsvOptions = {},
): ReadBankCsvResult {
  // csv-parse counts a CRLF inside a quoted field as two lines; with one line-break form its line
  // numbers stay exact (as in tariffs/read-csv-table.ts).
  const text = content.includes('\r') ? content.replace(LINE_BREAK, '\n') : content;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const records = parseRecords(text, delimiter);
  const header = records[0];
  if (header === undefined || header.fields === null)
    return { ok: false, field: '/content', message: 'the file has no header line' };
  if (records.length - 1 > MAX_BANK_STATEMENT_LINES)
    return {
      ok: false,
      field: '/content',
      message: `the file holds ${records.length - 1} lines; at most ${MAX_BANK_STATEMENT_LINES} are imported at once: split it`,
    };
  const positions = columnPositions(header.fields, options);
  if (!positions.ok) return positions;
  const decimalSeparator = options.decimalSeparator ?? '.';
  const dateFormat = options.dateFormat ?? 'YYYY-MM-DD';
  const lines = records.slice(1).map((record) =>
    record.fields === null
      ? unreadableLine(record.line, record.error)
      : readLine(record.line, record.fields, header.fields?.length ?? 0, positions.columns, {
          decimalSeparator,
          dateFormat,
          currency: options.currency,
        }),
  );
  return { ok: true, lines };
}

/** The delimiter the header line holds most of: `;` for most European banks, `,` otherwise. */
function detectDelimiter(text: string): BankDelimiter {
  const firstLine =
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split('\n', 1)[0] ?? '';
  const count = (character: string) => firstLine.split(character).length - 1;
  const candidates: readonly BankDelimiter[] = [',', ';', '\t'];
  let best: BankDelimiter = ',';
  for (const candidate of candidates) if (count(candidate) > count(best)) best = candidate;
  return best;
}

interface RawRecord {
  readonly line: number;
  /** null: the record is not valid CSV (and `error` says why). */
  readonly fields: readonly string[] | null;
  readonly error: string;
}

function parseRecords(text: string, delimiter: BankDelimiter): RawRecord[] {
  const endLines: number[] = [];
  const skipped: RawRecord[] = [];
  const records: string[][] = parse(text, {
    bom: true,
    delimiter,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      // Where the broken record ends; without it, just after the last record read.
      const line = typeof error?.lines === 'number' ? error.lines : (endLines[endLines.length - 1] ?? 1) + 1;
      skipped.push({ line, fields: null, error: error?.message ?? 'unreadable record' });
      return undefined;
    },
    on_record: (record: string[], context) => {
      endLines.push(context.lines);
      return record;
    },
  });
  const read: RawRecord[] = records.map((fields, index) => {
    const endLine = endLines[index];
    if (endLine === undefined)
      throw new Error('readBankStatementCsv: csv-parse reported no line for a record');
    // A quoted field may span lines; point at the line the record starts on.
    const newlines = fields.reduce((sum, field) => sum + field.split('\n').length - 1, 0);
    return { line: endLine - newlines, fields, error: '' };
  });
  return [...read, ...skipped].sort((a, b) => a.line - b.line);
}

type ColumnPositions =
  | { readonly ok: true; readonly columns: Readonly<Record<BankColumn, number | null>> }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * Where each column is in the header. Date, amount and reference are needed; currency too unless
 * options.currency names it; counterparty only when it was named explicitly.
 */
function columnPositions(header: readonly string[], options: BankStatementCsvOptions): ColumnPositions {
  const names = header.map((name) => name.trim().toLowerCase());
  const columns = {} as Record<BankColumn, number | null>;
  for (const column of COLUMNS) {
    const wanted = options.columns?.[column] ?? column;
    const position = names.indexOf(wanted.trim().toLowerCase());
    const needed =
      column === 'date' ||
      column === 'amount' ||
      column === 'reference' ||
      (column === 'currency' && options.currency === undefined) ||
      options.columns?.[column] !== undefined;
    if (position === -1 && needed)
      return {
        ok: false,
        field: `/options/columns/${column}`,
        message:
          `the header has no column "${wanted}" for the ${column} (it has ${header.map((h) => `"${h}"`).join(', ')})` +
          (column === 'currency' ? '; name the currency column, or give options.currency' : ''),
      };
    columns[column] = position === -1 ? null : position;
  }
  return { ok: true, columns };
}

interface LineRules {
  readonly decimalSeparator: '.' | ',';
  readonly dateFormat: BankDateFormat;
  readonly currency: string | undefined;
}

function unreadableLine(line: number, error: string): BankCsvLine {
  return {
    lineNumber: line,
    bookedOn: null,
    amountMicros: null,
    currency: null,
    reference: '',
    counterparty: '',
    problems: [`not valid CSV: ${error}`],
  };
}

function readLine(
  line: number,
  fields: readonly string[],
  headerLength: number,
  columns: Readonly<Record<BankColumn, number | null>>,
  rules: LineRules,
): BankCsvLine {
  const problems: string[] = [];
  const cell = (column: BankColumn): string | undefined => {
    const position = columns[column];
    return position === null ? undefined : fields[position];
  };
  // A record with more or fewer fields than the header may have its columns shifted (a delimiter
  // in an unquoted reference): none of its values can be trusted to be in their column.
  if (fields.length !== headerLength)
    problems.push(`the line has ${fields.length} columns, the header ${headerLength}`);
  const currency = readCurrency(cell('currency'), rules.currency, columns.currency !== null, problems);
  const bookedOn = readDate(cell('date'), rules.dateFormat, problems);
  const amountMicros = readAmount(cell('amount'), rules.decimalSeparator, currency, problems);
  return {
    lineNumber: line,
    bookedOn,
    amountMicros,
    currency,
    reference: (cell('reference') ?? '').slice(0, MAX_TEXT_LENGTH),
    counterparty: (cell('counterparty') ?? '').slice(0, MAX_TEXT_LENGTH),
    problems,
  };
}

function readCurrency(
  text: string | undefined,
  fallback: string | undefined,
  hasColumn: boolean,
  problems: string[],
): string | null {
  const code = text === undefined || text === '' ? fallback : text.toUpperCase();
  if (code === undefined) {
    problems.push(hasColumn && text !== undefined ? 'currency is empty' : 'currency is missing');
    return null;
  }
  if (getCurrency(code) === undefined) {
    problems.push(`currency "${code}" is not an ISO 4217 currency code`);
    return null;
  }
  return code;
}

function readDate(text: string | undefined, format: BankDateFormat, problems: string[]): string | null {
  if (text === undefined || text === '') {
    problems.push(text === undefined ? 'date is missing' : 'date is empty');
    return null;
  }
  const groups = DATE_PATTERNS[format].exec(text)?.groups;
  if (groups === undefined) {
    problems.push(`date "${text}" is not a date in the form ${format}`);
    return null;
  }
  const iso = `${groups.year}-${groups.month?.padStart(2, '0')}-${groups.day?.padStart(2, '0')}`;
  try {
    dayOfIsoDate(iso);
    return iso;
  } catch {
    problems.push(`date "${text}" is not a calendar date`);
    return null;
  }
}

function readAmount(
  text: string | undefined,
  separator: '.' | ',',
  currency: string | null,
  problems: string[],
): bigint | null {
  if (text === undefined || text === '') {
    problems.push(text === undefined ? 'amount is missing' : 'amount is empty');
    return null;
  }
  const groups = (separator === '.' ? AMOUNT_WITH_POINT : AMOUNT_WITH_COMMA).exec(text)?.groups;
  if (groups === undefined) {
    problems.push(`amount "${text}" is not an amount with the decimal separator "${separator}"`);
    return null;
  }
  const whole = (groups.whole ?? '').replace(/[.,]/g, '');
  const decimal = parseDecimal(
    `${groups.sign ?? ''}${whole}${groups.fraction === undefined ? '' : `.${groups.fraction}`}`,
  );
  if (!decimal.ok) {
    problems.push(`amount "${text}" is not a number`);
    return null;
  }
  const minorUnits = currency === null ? 6 : (getCurrency(currency)?.minorUnits ?? 6);
  if (decimal.value.scale > minorUnits) {
    problems.push(`amount "${text}" has more decimals than ${currency ?? 'a currency'} has (${minorUnits})`);
    return null;
  }
  const micros = decimal.value.coefficient * 10n ** BigInt(6 - decimal.value.scale);
  if (micros > MAX_INT8 || micros < -MAX_INT8) {
    problems.push(`amount "${text}" is too large`);
    return null;
  }
  return micros;
}

/** The largest int8, the column type of amount_micros. */
const MAX_INT8 = 9_223_372_036_854_775_807n;
