import { type CompiledTariff, formatScaled, MICROS_SCALE, rateUsage } from '@tollgate/core';
import type { CdrContext } from './cdr-rating-request.js';
import { FileSink } from './file-sink.js';
import { CDR_COLUMNS } from './generate-cdrs.js';
import { parseCdrRecord } from './parse-cdr-record.js';
import { RatingTally } from './rating-tally.js';
import { readCsvBatches } from './read-csv-batches.js';
import type { SampleMemory } from './run-phase.js';

export interface FileRatingRun {
  readonly tally: RatingTally;
  readonly outputBytes: number;
  readonly elapsedMs: number;
}

export const RATED_COLUMNS = ['id', 'cost', 'error'] as const;

/**
 * The file path of offline rating: reads the CDR file in chunks, parses each record into a rating
 * request, rates it and writes `id,cost,error` (cost as exact decimal text, or the error code),
 * one output chunk per input chunk, waiting for the output to drain before reading on.
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
    let output = '';
    for (const fields of batch) output += rateRecord(tariff, context, fields, tally);
    await sink.write(output);
    sample();
  }
  const outputBytes = await sink.close();
  return { tally, outputBytes, elapsedMs: performance.now() - startedMs };
}

function rateRecord(
  tariff: CompiledTariff,
  context: CdrContext,
  fields: readonly string[],
  tally: RatingTally,
): string {
  const id = fields[0] ?? '';
  const request = parseCdrRecord(fields, context);
  if (!request.ok) {
    tally.addError(request.error.code);
    return `${id},,${request.error.code}\n`;
  }
  const result = rateUsage(tariff, request.value);
  tally.add(result);
  return result.ok
    ? `${id},${formatScaled(result.value.cost.amountMicros, MICROS_SCALE)},\n`
    : `${id},,${result.error.code}\n`;
}
