import type { CompiledTariff } from '@tollgate/core';
import type { CdrContext } from './cdr-rating-request.js';
import { CDR_COLUMNS } from './generate-cdrs.js';
import { rateCdrRecords } from './rate-cdr-records.js';
import type { RatingTally } from './rating-tally.js';
import { checkHeader, splitRecords } from './read-csv-batches.js';

const NEWLINE = 10;
const encoder = new TextEncoder();

/**
 * Rates one chunk of a CDR file, as a worker thread receives it: UTF-8 bytes of whole lines (the
 * last byte is `\n`; a line break never falls inside a multi-byte character, so a chunk cut at one
 * decodes alone). Lines and fields are split as readCsvBatches splits them; the file's first chunk
 * starts with the header, which must be the CDR header and is skipped. Returns the output lines as
 * UTF-8 in a buffer of their own, which the worker can transfer.
 */
export function rateCdrChunk(
  tariff: CompiledTariff,
  context: CdrContext,
  chunk: Uint8Array,
  first: boolean,
  path: string,
  tally: RatingTally,
): Uint8Array {
  if (chunk.length === 0 || chunk[chunk.length - 1] !== NEWLINE) {
    throw new Error(`${path}: a chunk must end with a line break`);
  }
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  const records = splitRecords(text, text.length - 1);
  if (first) checkHeader(records.shift(), CDR_COLUMNS, path);
  return encoder.encode(rateCdrRecords(tariff, context, records, tally));
}
