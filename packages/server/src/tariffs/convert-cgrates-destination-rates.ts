import { type BindingDocument, parseDecimal, type RoundingDocument } from '@tollgate/core';
import { CGRATES_ANY } from './cgrates-any.js';
import type { ImportIssues } from './import-issue.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const DESTINATION_RATES_FILE = 'DestinationRates.csv';
export const DESTINATION_RATE_COLUMNS = [
  'Id',
  'DestinationId',
  'RatesTag',
  'RoundingMethod',
  'RoundingDecimals',
  'MaxCost',
  'MaxCostStrategy',
] as const;
export type DestinationRateColumn = (typeof DESTINATION_RATE_COLUMNS)[number];

type MaxCostDocument = NonNullable<BindingDocument['maxCost']>;

/** One DestinationRates row: the part of a binding that does not depend on the rating plan. */
export interface DestinationRateEntry {
  readonly destination: string;
  readonly rate: string;
  readonly rounding: RoundingDocument;
  readonly maxCost?: MaxCostDocument;
}

export interface ConvertedDestinationRates {
  /** The valid rows of each DestinationRates id, in file order. */
  readonly entriesById: ReadonlyMap<string, readonly DestinationRateEntry[]>;
  /** Every id the file defines, including those whose rows had errors (so they do not cascade). */
  readonly ids: ReadonlySet<string>;
}

/** CGRateS *middle rounds a half away from zero, which is the native half-up. */
const ROUNDING_METHODS: ReadonlyMap<string, RoundingDocument['method']> = new Map([
  ['*up', 'up'],
  ['*down', 'down'],
  ['*middle', 'half-up'],
]);

const MAX_COST_STRATEGIES: ReadonlyMap<string, MaxCostDocument['strategy']> = new Map([
  ['*free', 'free'],
  ['*disconnect', 'disconnect'],
]);

/** Amounts are held in micro-units, so no cost can keep more than 6 decimals. */
const MAX_ROUNDING_DECIMALS = 6;

export function convertCgratesDestinationRates(
  rows: readonly CsvRow<DestinationRateColumn>[],
  known: { readonly destinationIds: ReadonlySet<string>; readonly rateIds: ReadonlySet<string> },
  issues: ImportIssues,
): ConvertedDestinationRates {
  const ids = new Set<string>();
  const entriesById = new Map<string, DestinationRateEntry[]>();
  for (const row of rows) {
    const id = readIdCell(DESTINATION_RATES_FILE, row, 'Id', issues);
    if (id === undefined) continue;
    ids.add(id);
    const entry = convertRow(row, known, issues);
    if (entry === undefined) continue;
    const entries = entriesById.get(id) ?? [];
    entries.push(entry);
    entriesById.set(id, entries);
  }
  return { entriesById, ids };
}

function convertRow(
  row: CsvRow<DestinationRateColumn>,
  known: { readonly destinationIds: ReadonlySet<string>; readonly rateIds: ReadonlySet<string> },
  issues: ImportIssues,
): DestinationRateEntry | undefined {
  const at = (column: DestinationRateColumn) => ({ file: DESTINATION_RATES_FILE, line: row.line, column });
  const destination = readIdCell(DESTINATION_RATES_FILE, row, 'DestinationId', issues);
  if (destination !== undefined && destination !== CGRATES_ANY && !known.destinationIds.has(destination)) {
    issues.error(
      at('DestinationId'),
      'unknown_destination',
      `no destination ${destination} in Destinations.csv`,
    );
  }
  const rate = readIdCell(DESTINATION_RATES_FILE, row, 'RatesTag', issues);
  if (rate !== undefined && !known.rateIds.has(rate)) {
    issues.error(at('RatesTag'), 'unknown_rate', `no rate ${rate} in Rates.csv`);
  }
  const rounding = readRounding(row, issues);
  const maxCost = readMaxCost(row, issues);
  if (destination === undefined || rate === undefined || rounding === undefined || maxCost === null) {
    return undefined;
  }
  return maxCost === undefined ? { destination, rate, rounding } : { destination, rate, rounding, maxCost };
}

function readRounding(
  row: CsvRow<DestinationRateColumn>,
  issues: ImportIssues,
): RoundingDocument | undefined {
  const at = (column: DestinationRateColumn) => ({ file: DESTINATION_RATES_FILE, line: row.line, column });
  const methodText = row.values.RoundingMethod;
  const method = ROUNDING_METHODS.get(methodText);
  if (method === undefined) {
    issues.error(
      at('RoundingMethod'),
      'invalid_rounding_method',
      `RoundingMethod must be *up, *down or *middle, not "${methodText}"`,
    );
  }
  const decimalsText = row.values.RoundingDecimals;
  const decimals = /^\d{1,2}$/.test(decimalsText) ? Number(decimalsText) : Number.NaN;
  if (!(decimals <= MAX_ROUNDING_DECIMALS)) {
    issues.error(
      at('RoundingDecimals'),
      'invalid_rounding_decimals',
      `RoundingDecimals must be a whole number from 0 to ${MAX_ROUNDING_DECIMALS} (amounts are held in ` +
        `micro-units), not "${decimalsText}"`,
    );
    return undefined;
  }
  return method === undefined ? undefined : { method, decimals };
}

/**
 * The row's cost cap: undefined when there is none (MaxCost empty or 0), null when the row is in
 * error (recorded in `issues`).
 */
function readMaxCost(
  row: CsvRow<DestinationRateColumn>,
  issues: ImportIssues,
): MaxCostDocument | undefined | null {
  const at = (column: DestinationRateColumn) => ({ file: DESTINATION_RATES_FILE, line: row.line, column });
  const amountText = row.values.MaxCost;
  const strategyText = row.values.MaxCostStrategy;
  const strategy = MAX_COST_STRATEGIES.get(strategyText);
  if (strategyText !== '' && strategy === undefined) {
    issues.error(
      at('MaxCostStrategy'),
      'invalid_max_cost_strategy',
      `MaxCostStrategy must be *free, *disconnect or empty, not "${strategyText}"`,
    );
    return null;
  }
  const amount = parseDecimal(amountText === '' ? '0' : amountText);
  if (!amount.ok || amount.value.coefficient < 0n) {
    issues.error(
      at('MaxCost'),
      'invalid_max_cost',
      `MaxCost "${amountText}" is not a decimal number of 0 or more`,
    );
    return null;
  }
  if (amount.value.coefficient === 0n) {
    if (strategy !== undefined) {
      issues.warn(
        at('MaxCostStrategy'),
        'ignored_max_cost_strategy',
        `MaxCostStrategy ${strategyText} is ignored: MaxCost is empty or 0, which means no cap`,
      );
    }
    return undefined;
  }
  if (strategy === undefined) {
    issues.error(
      at('MaxCostStrategy'),
      'missing_max_cost_strategy',
      `MaxCost ${amountText} needs a MaxCostStrategy (*free or *disconnect)`,
    );
    return null;
  }
  return { amount: amountText, strategy };
}
