import type { BindingDocument, RatingPlanDocument } from '@tollgate/core';
import { CGRATES_ANY } from './cgrates-any.js';
import type { ConvertedDestinationRates } from './convert-cgrates-destination-rates.js';
import type { ImportIssues } from './import-issue.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const RATING_PLANS_FILE = 'RatingPlans.csv';
export const RATING_PLAN_COLUMNS = ['Id', 'DestinationRatesId', 'TimingTag', 'Weight'] as const;
export type RatingPlanColumn = (typeof RATING_PLAN_COLUMNS)[number];

const WEIGHT_PATTERN = /^[+-]?\d{1,15}(\.\d{1,15})?$/;

export interface ConvertedRatingPlans {
  readonly documents: RatingPlanDocument[];
  /** Every id the file defines, including those whose rows had errors (so they do not cascade). */
  readonly ids: ReadonlySet<string>;
}

/**
 * The native model has no DestinationRates of its own: each RatingPlans row (DestinationRatesId,
 * TimingTag, Weight) becomes one binding per row of that DestinationRates id, in file order.
 */
export function convertCgratesRatingPlans(
  rows: readonly CsvRow<RatingPlanColumn>[],
  known: { readonly destinationRates: ConvertedDestinationRates; readonly timingIds: ReadonlySet<string> },
  issues: ImportIssues,
): ConvertedRatingPlans {
  const ids = new Set<string>();
  const bindingsById = new Map<string, BindingDocument[]>();
  for (const row of rows) {
    const id = readIdCell(RATING_PLANS_FILE, row, 'Id', issues);
    if (id === undefined) continue;
    ids.add(id);
    const bindings = convertRow(row, known, issues);
    if (bindings === undefined) continue;
    const planBindings = bindingsById.get(id) ?? [];
    planBindings.push(...bindings);
    bindingsById.set(id, planBindings);
  }
  const documents = [...bindingsById]
    .filter(([, bindings]) => bindings.length > 0)
    .map(([id, bindings]) => ({ id, bindings }));
  return { documents, ids };
}

function convertRow(
  row: CsvRow<RatingPlanColumn>,
  known: { readonly destinationRates: ConvertedDestinationRates; readonly timingIds: ReadonlySet<string> },
  issues: ImportIssues,
): BindingDocument[] | undefined {
  const at = (column: RatingPlanColumn) => ({ file: RATING_PLANS_FILE, line: row.line, column });
  const destinationRatesId = readIdCell(RATING_PLANS_FILE, row, 'DestinationRatesId', issues);
  if (destinationRatesId !== undefined && !known.destinationRates.ids.has(destinationRatesId)) {
    issues.error(
      at('DestinationRatesId'),
      'unknown_destination_rate',
      `no destination rate ${destinationRatesId} in DestinationRates.csv`,
    );
  }
  const timeBand = readIdCell(RATING_PLANS_FILE, row, 'TimingTag', issues);
  if (timeBand !== undefined && timeBand !== CGRATES_ANY && !known.timingIds.has(timeBand)) {
    issues.error(at('TimingTag'), 'unknown_timing', `no timing ${timeBand} in Timings.csv`);
  }
  const weightText = row.values.Weight;
  const weight = WEIGHT_PATTERN.test(weightText) ? Number(weightText) : undefined;
  if (weight === undefined) {
    issues.error(at('Weight'), 'invalid_weight', `Weight must be a decimal number, not "${weightText}"`);
  }
  if (destinationRatesId === undefined || timeBand === undefined || weight === undefined) return undefined;
  const entries = known.destinationRates.entriesById.get(destinationRatesId) ?? [];
  return entries.map((entry) => ({
    destination: entry.destination,
    rate: entry.rate,
    timeBand,
    weight,
    rounding: { ...entry.rounding },
    ...(entry.maxCost === undefined ? {} : { maxCost: { ...entry.maxCost } }),
  }));
}
