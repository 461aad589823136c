import {
  isZeroDecimal,
  parseDecimal,
  type RateDocument,
  type RateGroupDocument,
  type Result,
} from '@tollgate/core';
import type { ImportIssues } from './import-issue.js';
import { type CgratesQuantity, parseCgratesQuantity } from './parse-cgrates-quantity.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const RATES_FILE = 'Rates.csv';
export const RATE_COLUMNS = [
  'Id',
  'ConnectFee',
  'Rate',
  'RateUnit',
  'RateIncrement',
  'GroupIntervalStart',
] as const;
export type RateColumn = (typeof RATE_COLUMNS)[number];

type QuantityColumn = 'RateUnit' | 'RateIncrement' | 'GroupIntervalStart';
type Dimension = 'duration' | 'count';

/** One Rates.csv row, its fields checked. */
interface ParsedGroup {
  readonly line: number;
  readonly connectFee: string;
  readonly connectFeeIsZero: boolean;
  readonly price: string;
  readonly RateUnit: CgratesQuantity;
  readonly RateIncrement: CgratesQuantity;
  readonly GroupIntervalStart: CgratesQuantity;
}

const QUANTITY_COLUMNS: readonly QuantityColumn[] = ['RateUnit', 'RateIncrement', 'GroupIntervalStart'];

export interface ConvertedRates {
  readonly documents: RateDocument[];
  /** Every id the file defines, including those whose rows had errors (so they do not cascade). */
  readonly ids: ReadonlySet<string>;
}

/**
 * Rows sharing an Id are the groups of one rate ("first 60 s by 60 s, then by 1 s"), emitted in
 * GroupIntervalStart order. Prices stay the decimal text as written: they never pass through a
 * binary float.
 */
export function convertCgratesRates(
  rows: readonly CsvRow<RateColumn>[],
  issues: ImportIssues,
): ConvertedRates {
  const rowsById = new Map<string, CsvRow<RateColumn>[]>();
  for (const row of rows) {
    const id = readIdCell(RATES_FILE, row, 'Id', issues);
    if (id === undefined) continue;
    const idRows = rowsById.get(id) ?? [];
    idRows.push(row);
    rowsById.set(id, idRows);
  }
  const documents: RateDocument[] = [];
  // A deck writes the same few amounts (60s, 1s, 0s) on every row: each is parsed once.
  const quantities = new Map<string, Result<CgratesQuantity>>();
  for (const [id, idRows] of rowsById) {
    const rate = convertRate(id, idRows, quantities, issues);
    if (rate !== undefined) documents.push(rate);
  }
  return { documents, ids: new Set(rowsById.keys()) };
}

function convertRate(
  id: string,
  rows: readonly CsvRow<RateColumn>[],
  quantities: Map<string, Result<CgratesQuantity>>,
  issues: ImportIssues,
): RateDocument | undefined {
  const parsed = rows.map((row) => parseGroup(row, quantities, issues));
  const groups = parsed.filter((group) => group !== undefined);
  if (groups.length !== parsed.length) return undefined;
  const dimension = findDimension(groups, issues);
  if (dimension === undefined) return undefined;
  const sorted = sortGroups(groups, issues);
  if (sorted === undefined) return undefined;
  const [first, ...later] = sorted;
  if (first === undefined) throw new Error(`convertRate: rate ${id} has no groups`);
  // CGRateS charges the connect fee of the first group only (once per call), so a fee on a later
  // group has no effect there either; say so rather than drop it silently.
  for (const group of later) {
    if (group.connectFeeIsZero) continue;
    issues.warn(
      { file: RATES_FILE, line: group.line, column: 'ConnectFee' },
      'ignored_connect_fee',
      `ConnectFee ${group.connectFee} of rate ${id} is ignored: only the first group's connect fee is charged`,
    );
  }
  return {
    id,
    ...(first.connectFeeIsZero ? {} : { connectFee: first.connectFee }),
    groups: sorted.map((group) => toRateGroup(id, group, dimension, issues)),
  };
}

function parseGroup(
  row: CsvRow<RateColumn>,
  quantities: Map<string, Result<CgratesQuantity>>,
  issues: ImportIssues,
): ParsedGroup | undefined {
  const at = (column: RateColumn) => ({ file: RATES_FILE, line: row.line, column });
  const readDecimal = (column: 'ConnectFee' | 'Rate', emptyMeans: string | undefined) => {
    const text = row.values[column] === '' && emptyMeans !== undefined ? emptyMeans : row.values[column];
    const value = parseDecimal(text);
    if (!value.ok) {
      issues.error(at(column), 'invalid_decimal', `${column} "${text}" is not a plain decimal number`);
      return undefined;
    }
    return { text, isZero: isZeroDecimal(value.value) };
  };
  const readQuantity = (column: QuantityColumn) => {
    const text = row.values[column];
    if (text === '' && column !== 'GroupIntervalStart') {
      issues.error(at(column), 'empty_field', `${column} must not be empty`);
      return undefined;
    }
    let quantity = quantities.get(text);
    if (quantity === undefined) {
      quantity = parseCgratesQuantity(text);
      quantities.set(text, quantity);
    }
    if (!quantity.ok) {
      issues.error(at(column), quantity.error.code, `${column}: ${quantity.error.message}`);
      return undefined;
    }
    return quantity.value;
  };
  const connectFee = readDecimal('ConnectFee', '0');
  const price = readDecimal('Rate', undefined);
  const unit = readQuantity('RateUnit');
  const increment = readQuantity('RateIncrement');
  const start = readQuantity('GroupIntervalStart');
  if (connectFee === undefined || price === undefined) return undefined;
  if (unit === undefined || increment === undefined || start === undefined) return undefined;
  if (isZeroQuantity(increment)) {
    issues.error(at('RateIncrement'), 'invalid_increment', 'RateIncrement must be greater than zero');
    return undefined;
  }
  if (isZeroQuantity(unit) && !price.isZero) {
    issues.error(
      at('RateUnit'),
      'invalid_rate_unit',
      `RateUnit is zero but Rate is ${price.text}: a price per zero units has no meaning`,
    );
    return undefined;
  }
  return {
    line: row.line,
    connectFee: connectFee.text,
    connectFeeIsZero: connectFee.isZero,
    price: price.text,
    RateUnit: unit,
    RateIncrement: increment,
    GroupIntervalStart: start,
  };
}

/**
 * All amounts of one rate are durations or all are counts; the first non-zero amount decides, and
 * every one that disagrees is an error.
 */
function findDimension(groups: readonly ParsedGroup[], issues: ImportIssues): Dimension | undefined {
  let decided: { dimension: Dimension; line: number; column: QuantityColumn; text: string } | undefined;
  let mixed = false;
  for (const group of groups) {
    for (const column of QUANTITY_COLUMNS) {
      const quantity = group[column];
      if (quantity.kind === 'zero') continue;
      const text = quantity.kind === 'duration' ? quantity.text : String(quantity.value);
      if (decided === undefined) {
        decided = { dimension: quantity.kind, line: group.line, column, text };
        continue;
      }
      if (quantity.kind === decided.dimension) continue;
      mixed = true;
      issues.error(
        { file: RATES_FILE, line: group.line, column },
        'mixed_dimensions',
        `${column} ${text} is a ${quantity.kind} but ${decided.column} ${decided.text} on line ${decided.line} ` +
          `is a ${decided.dimension}: one rate's amounts must all be durations (60s) or all counts (1024)`,
      );
    }
  }
  // parseGroup rejects a zero increment, so a valid rate always has a non-zero amount.
  if (decided === undefined) throw new Error('findDimension: a rate with no non-zero amount');
  return mixed ? undefined : decided.dimension;
}

/** The groups in GroupIntervalStart order; two groups starting at the same offset are an error. */
function sortGroups(groups: readonly ParsedGroup[], issues: ImportIssues): ParsedGroup[] | undefined {
  const sorted = [...groups].sort((a, b) => {
    const left = startKey(a);
    const right = startKey(b);
    return left < right ? -1 : left > right ? 1 : a.line - b.line;
  });
  let duplicate = false;
  sorted.forEach((group, index) => {
    const previous = sorted[index - 1];
    if (previous === undefined || startKey(previous) !== startKey(group)) return;
    duplicate = true;
    issues.error(
      { file: RATES_FILE, line: group.line, column: 'GroupIntervalStart' },
      'duplicate_group_start',
      `another group of this rate (line ${previous.line}) starts at the same offset`,
    );
  });
  return duplicate ? undefined : sorted;
}

function startKey(group: ParsedGroup): bigint {
  const start = group.GroupIntervalStart;
  if (start.kind === 'zero') return 0n;
  return start.kind === 'duration' ? start.durationNs : BigInt(start.value);
}

function toRateGroup(
  id: string,
  group: ParsedGroup,
  dimension: Dimension,
  issues: ImportIssues,
): RateGroupDocument {
  const increment = toQuantity(group.RateIncrement, dimension);
  let per = toQuantity(group.RateUnit, dimension);
  if (isZeroQuantity(group.RateUnit)) {
    // CGRateS accepts a zero RateUnit with a zero Rate (a connect-fee-only rate such as
    // `0.1,0,0,1s,0`); the native format needs a positive unit, and any unit prices zero the same.
    per = increment;
    issues.warn(
      { file: RATES_FILE, line: group.line, column: 'RateUnit' },
      'zero_rate_unit',
      `RateUnit of rate ${id} is zero with a zero Rate; written as per ${String(increment)} (the increment)`,
    );
  }
  return { from: toQuantity(group.GroupIntervalStart, dimension), price: group.price, per, increment };
}

function isZeroQuantity(quantity: CgratesQuantity): boolean {
  return quantity.kind === 'zero' || (quantity.kind === 'duration' && quantity.durationNs === 0n);
}

function toQuantity(quantity: CgratesQuantity, dimension: Dimension): string | number {
  switch (quantity.kind) {
    case 'zero':
      return dimension === 'duration' ? '0s' : 0;
    case 'duration':
      return quantity.text;
    case 'count':
      return quantity.value;
  }
}
