import { CDR_COLUMNS } from './generate-cdrs.js';
import { readCsvBatches } from './read-csv-batches.js';
import type { SampleMemory } from './run-phase.js';

export interface ScanRun {
  readonly records: number;
  readonly fields: number;
  readonly elapsedMs: number;
}

/**
 * The baseline of the file path: the same reader reads and splits the same CDR file into fields,
 * and nothing else. Counting the fields keeps the split work observable.
 */
export async function scanCdrFile(path: string, sample: SampleMemory): Promise<ScanRun> {
  let records = 0;
  let fields = 0;
  const startedMs = performance.now();
  for await (const batch of readCsvBatches(path, { columns: CDR_COLUMNS })) {
    records += batch.length;
    for (const record of batch) fields += record.length;
    sample();
  }
  return { records, fields, elapsedMs: performance.now() - startedMs };
}
