import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type PollingLoop, startPollingLoop } from '../jobs/polling-loop.js';
import { foldReportSummaries } from './fold-report-summaries.js';

/** How often a serving process folds the summaries' pending deltas. */
const FOLD_EVERY_MS = 5 * 60 * 1000;

/**
 * Folds the report summaries in the background, so deltas appended by usage, invoices and
 * payments do not pile up between report reads (each read folds too, so a report is never
 * stale; this only keeps that fold small). Several processes may run it: the fold's advisory lock
 * lets one of them work and the others return at once.
 */
export function startReportFolding(
  db: Kysely<Database>,
  log: { error(object: unknown, message: string): void },
): PollingLoop {
  return startPollingLoop({
    pollMs: FOLD_EVERY_MS,
    firstDelayMs: 30_000,
    log,
    failure: 'folding the report summaries failed; retried at the next tick',
    pass: async () => {
      await foldReportSummaries(db);
      return { moreDue: false };
    },
  });
}
