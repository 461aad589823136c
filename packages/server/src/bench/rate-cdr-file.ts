import type { CompiledTariff } from '@tollgate/core';
import type { CdrContext } from './cdr-rating-request.js';
import { FileSink } from './file-sink.js';
import { CDR_COLUMNS } from './generate-cdrs.js';
import { RATED_COLUMNS, rateCdrRecords } from './rate-cdr-records.js';
import { RatingTally } from './rating-tally.js';
import { readCsvBatches } from './read-csv-batches.js';
import type { SampleMemory } from './run-phase.js';

export interface FileRatingRun {
  readonly tally: RatingTally;
  readonly outputBytes: number;
  readonly elapsedMs: number;
}

/**
 * The file path of offline rating on one thread: reads the CDR file in chunks, parses each record
 * into a rating request, rates it and writes `id,cost,error` (cost as exact decimal text, or the
 * error code), one output chunk per input chunk, waiting for the output to drain before reading on.
 */
export async function rateCdrFile(
  tariff: CompiledTariff,
  context: CdrContext,
  inputPath: string,
  outputPath: string,
  sample: SampleMemory,
): Promise<FileRatingRun> {
  const tally = new RatingTally();
  const startedMs = performance.now();
  const sink = new FileSink(outputPath);
  await sink.write(`${RATED_COLUMNS.join(',')}\n`);
  for await (const batch of readCsvBatches(inputPath, { columns: CDR_COLUMNS })) {
    await sink.write(rateCdrRecords(tariff, context, batch, tally));
    sample();
  }
  const outputBytes = await sink.close();
  return { tally, outputBytes, elapsedMs: performance.now() - startedMs };
}
