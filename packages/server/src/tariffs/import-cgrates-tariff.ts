import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  isRoundingMode,
  type RoundingDocument,
  TARIFF_FORMAT,
  Tariff,
  type TariffDocument,
} from '@tollgate/core';
import {
  convertCgratesDestinationRates,
  DESTINATION_RATE_COLUMNS,
  DESTINATION_RATES_FILE,
} from './convert-cgrates-destination-rates.js';
import {
  convertCgratesDestinations,
  DESTINATION_COLUMNS,
  DESTINATIONS_FILE,
} from './convert-cgrates-destinations.js';
import { convertCgratesRates, RATE_COLUMNS, RATES_FILE } from './convert-cgrates-rates.js';
import {
  convertCgratesRatingPlans,
  RATING_PLAN_COLUMNS,
  RATING_PLANS_FILE,
} from './convert-cgrates-rating-plans.js';
import {
  convertCgratesRatingProfiles,
  RATING_PROFILE_COLUMNS,
  RATING_PROFILES_FILE,
} from './convert-cgrates-rating-profiles.js';
import { convertCgratesTimings, TIMING_COLUMNS, TIMINGS_FILE } from './convert-cgrates-timings.js';
import { type ImportIssue, ImportIssues } from './import-issue.js';
import { isKnownTimeZone } from './parse-activation-time.js';
import { readCsvTable } from './read-csv-table.js';

export type { ImportIssue } from './import-issue.js';

export interface CgratesImportOptions {
  /** The id of the tariff document produced. */
  readonly tariffId: string;
  /** ISO 4217 code of the currency the prices are in; CGRateS tariff plans do not say. */
  readonly currency: string;
  /** IANA time zone in which time bands are evaluated and zone-less activation times are read. */
  readonly timeZone: string;
  /** The tariff's default rounding; every imported binding carries its own from DestinationRates. */
  readonly rounding?: RoundingDocument;
}

export type CgratesImportResult =
  | { readonly ok: true; readonly value: TariffDocument; readonly warnings: ImportIssue[] }
  | { readonly ok: false; readonly errors: ImportIssue[] };

/** The rating files of a CGRateS tariff plan; Timings.csv may be left out (`*any` is built in). */
export const CGRATES_TARIFF_FILES: readonly { readonly name: string; readonly required: boolean }[] = [
  { name: DESTINATIONS_FILE, required: true },
  { name: RATES_FILE, required: true },
  { name: DESTINATION_RATES_FILE, required: true },
  { name: TIMINGS_FILE, required: false },
  { name: RATING_PLANS_FILE, required: true },
  { name: RATING_PROFILES_FILE, required: true },
];

/**
 * Without an explicit default, the finest rounding the native format holds: no imported binding
 * falls back to it, since each carries the rounding of its DestinationRates row.
 */
const DEFAULT_ROUNDING: RoundingDocument = { method: 'half-up', decimals: 6 };

/** Issues about the options rather than a file carry this in place of a file name. */
const OPTIONS = '<options>';
/** Issues found in the converted document as a whole carry this in place of a file name. */
const RESULT = '<result>';
const MAX_SCHEMA_ERRORS = 100;
/** Compiled once: checking a large converted deck is then one pass, with no error bookkeeping. */
const TARIFF_CHECK = TypeCompiler.Compile(Tariff);

/**
 * Converts a CGRateS tariff plan (its rating files, by file name) into a native tariff document.
 * Every problem in every file is collected; any error rejects the whole tariff, while warnings
 * (things CGRateS ignores too, or that were rewritten) come with the result.
 */
export function importCgratesTariff(
  files: ReadonlyMap<string, string>,
  options: CgratesImportOptions,
): CgratesImportResult {
  const issues = new ImportIssues();
  checkOptions(options, issues);
  for (const { name, required } of CGRATES_TARIFF_FILES) {
    if (required && !files.has(name)) {
      issues.error({ file: name, line: 0 }, 'missing_file', `${name} is missing from the tariff plan`);
    }
  }
  // Without the options or a file, every cross-reference would fail too and bury the cause.
  if (issues.hasErrors) return { ok: false, errors: issues.errorList() };

  const table = <C extends string>(name: string, columns: readonly C[]) =>
    readCsvTable(name, files.get(name) ?? '', columns, issues);
  const destinations = convertCgratesDestinations(table(DESTINATIONS_FILE, DESTINATION_COLUMNS), issues);
  const rates = convertCgratesRates(table(RATES_FILE, RATE_COLUMNS), issues);
  const destinationRates = convertCgratesDestinationRates(
    table(DESTINATION_RATES_FILE, DESTINATION_RATE_COLUMNS),
    { destinationIds: destinations.ids, rateIds: rates.ids },
    issues,
  );
  const timings = convertCgratesTimings(table(TIMINGS_FILE, TIMING_COLUMNS), issues);
  const ratingPlans = convertCgratesRatingPlans(
    table(RATING_PLANS_FILE, RATING_PLAN_COLUMNS),
    { destinationRates, timingIds: timings.ids },
    issues,
  );
  const ratingProfiles = convertCgratesRatingProfiles(
    table(RATING_PROFILES_FILE, RATING_PROFILE_COLUMNS),
    { ratingPlanIds: ratingPlans.ids, timeZone: options.timeZone },
    issues,
  );
  if (issues.hasErrors) return { ok: false, errors: issues.errorList() };

  const document: TariffDocument = {
    format: TARIFF_FORMAT,
    id: options.tariffId,
    currency: options.currency,
    timeZone: options.timeZone,
    rounding: { ...(options.rounding ?? DEFAULT_ROUNDING) },
    destinations: destinations.documents,
    rates: rates.documents,
    ...(timings.documents.length > 0 ? { timeBands: timings.documents } : {}),
    ratingPlans: ratingPlans.documents,
    ratingProfiles,
  };
  checkSchema(document, issues);
  if (issues.hasErrors) return { ok: false, errors: issues.errorList() };
  return { ok: true, value: document, warnings: issues.warningList() };
}

/** Reads the tariff plan's rating files from `dir` and imports them; a missing file is an error. */
export async function readCgratesTariffDir(
  dir: string,
  options: CgratesImportOptions,
): Promise<CgratesImportResult> {
  const texts = await Promise.all(
    CGRATES_TARIFF_FILES.map(async ({ name }) => [name, await readIfPresent(path.join(dir, name))] as const),
  );
  const files = new Map<string, string>();
  for (const [name, text] of texts) {
    if (text !== undefined) files.set(name, text);
  }
  return importCgratesTariff(files, options);
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // Only absence is a business outcome (reported as missing_file); unreadable files are not.
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function checkOptions(options: CgratesImportOptions, issues: ImportIssues): void {
  const at = (column: string) => ({ file: OPTIONS, line: 0, column });
  if (options.tariffId.length < 1 || options.tariffId.length > 200) {
    issues.error(at('tariffId'), 'invalid_option', 'tariffId must be 1 to 200 characters long');
  }
  if (!/^[A-Z]{3}$/.test(options.currency)) {
    issues.error(
      at('currency'),
      'invalid_option',
      `currency must be an ISO 4217 code such as EUR, not "${options.currency}"`,
    );
  }
  if (!isKnownTimeZone(options.timeZone)) {
    issues.error(
      at('timeZone'),
      'invalid_option',
      `timeZone must be an IANA time zone such as UTC or Europe/Berlin, not "${options.timeZone}"`,
    );
  }
  const rounding = options.rounding;
  if (rounding === undefined) return;
  if (!isRoundingMode(rounding.method) || !Number.isInteger(rounding.decimals)) {
    issues.error(
      at('rounding'),
      'invalid_option',
      'rounding must be a method and a whole number of decimals',
    );
  } else if (rounding.decimals < 0 || rounding.decimals > 6) {
    issues.error(
      at('rounding'),
      'invalid_option',
      'rounding keeps 0 to 6 decimals (amounts are micro-units)',
    );
  }
}

/**
 * The last safety net: the converters only build valid documents, so a failure here is a bug in
 * this importer, reported rather than passed on.
 */
function checkSchema(document: TariffDocument, issues: ImportIssues): void {
  if (TARIFF_CHECK.Check(document)) return;
  let count = 0;
  for (const error of TARIFF_CHECK.Errors(document)) {
    issues.error(
      { file: RESULT, line: 0, column: error.path },
      'schema_violation',
      `the converted tariff breaks the tariff schema at ${error.path}: ${error.message} (a bug in the importer)`,
    );
    count += 1;
    if (count >= MAX_SCHEMA_ERRORS) return;
  }
}
