import type { DestinationDocument } from '@tollgate/core';
import { CGRATES_ANY } from './cgrates-any.js';
import type { ImportIssues } from './import-issue.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const DESTINATIONS_FILE = 'Destinations.csv';
export const DESTINATION_COLUMNS = ['Id', 'Prefix'] as const;
export type DestinationColumn = (typeof DESTINATION_COLUMNS)[number];

/** The native bound on a prefix. */
const MAX_PREFIX_LENGTH = 64;

export interface ConvertedDestinations {
  readonly documents: DestinationDocument[];
  /** Every id the file defines, including those whose rows had errors (so they do not cascade). */
  readonly ids: ReadonlySet<string>;
}

/**
 * Rows sharing an Id are one destination; its prefixes keep their text and first-seen order.
 * Prefixes are kept as written: they may be digits (`4930`), carry a plus, or be names
 * (`voicemail`) that the switch sends as the called party.
 */
export function convertCgratesDestinations(
  rows: readonly CsvRow<DestinationColumn>[],
  issues: ImportIssues,
): ConvertedDestinations {
  const ids = new Set<string>();
  const prefixesById = new Map<string, string[]>();
  for (const row of rows) {
    const id = readIdCell(DESTINATIONS_FILE, row, 'Id', issues);
    if (id === undefined) continue;
    ids.add(id);
    const prefix = readPrefix(row, issues);
    if (id === CGRATES_ANY) {
      issues.error(
        { file: DESTINATIONS_FILE, line: row.line, column: 'Id' },
        'reserved_id',
        `${CGRATES_ANY} is built in (it matches every destination) and cannot be defined`,
      );
      continue;
    }
    if (prefix === undefined) continue;
    const prefixes = prefixesById.get(id) ?? [];
    if (prefixes.includes(prefix)) {
      issues.warn(
        { file: DESTINATIONS_FILE, line: row.line, column: 'Prefix' },
        'duplicate_prefix',
        `prefix "${prefix}" is listed twice for destination ${id}; it is kept once`,
      );
      continue;
    }
    prefixes.push(prefix);
    prefixesById.set(id, prefixes);
  }
  const documents = [...prefixesById].map(([id, prefixes]) => ({ id, prefixes }));
  return { documents, ids };
}

function readPrefix(row: CsvRow<DestinationColumn>, issues: ImportIssues): string | undefined {
  const prefix = row.values.Prefix;
  const at = { file: DESTINATIONS_FILE, line: row.line, column: 'Prefix' };
  if (prefix === '') {
    issues.error(at, 'empty_field', 'Prefix must not be empty');
    return undefined;
  }
  if (prefix.length > MAX_PREFIX_LENGTH) {
    issues.error(at, 'prefix_too_long', `Prefix is longer than ${MAX_PREFIX_LENGTH} characters`);
    return undefined;
  }
  return prefix;
}
