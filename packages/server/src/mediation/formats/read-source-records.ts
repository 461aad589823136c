import type { Readable } from 'node:stream';
import type { SourceRecord } from '../usage-record.js';
import { asteriskRecordFormat } from './asterisk-record-format.js';
import { csvProfileRecordFormat } from './csv-profile-record-format.js';
import { DelimitedRecordReader } from './delimited-record-reader.js';
import { freeswitchRecordFormat } from './freeswitch-record-format.js';
import { JsonlRecordReader } from './jsonl-record-reader.js';
import { LineSplitter } from './line-splitter.js';
import type { RecordReader } from './record-reader.js';
import type { SourceProfile } from './source-profile.js';

export interface ReadSourceOptions {
  /** Records per batch, at most; every batch but the last holds exactly this many. */
  readonly batchSize: number;
  /** Resume after a crash: records that start on or before this line are read past, not given out. */
  readonly afterLine?: number;
  /** Told the header line of a CSV file that has one (it is not a record), e.g. to keep it with the run. */
  readonly onHeader?: (raw: string) => void;
}

/** A batch is held in memory and stored in one transaction: larger is a mistake, not a file. */
const MAX_BATCH_SIZE = 1_000_000;
/** Quoting and the field separators of the switch formats are fixed by the switches (see their formats). */
const SWITCH_DELIMITER = ',';
const SWITCH_QUOTE = '"';

/**
 * Reads the records of a usage file, in file order, as batches of source records: every record
 * (a line, or more lines while a quoted field holds line breaks) gives exactly one, a usage
 * record, a skip or a reject, and a broken record never stops the reading. Blank lines and a CSV
 * header line give none, and an empty file gives no batch at all.
 *
 * Reading is pulled by the consumer: nothing more is read from `input` while it holds a batch,
 * beyond what the stream itself buffers, and stopping early (break, return) destroys the stream.
 * Errors of the stream (a corrupt gzip member) are thrown to the consumer as they are.
 */
export async function* readSourceRecords(
  input: Readable,
  profile: SourceProfile,
  options: ReadSourceOptions,
): AsyncGenerator<SourceRecord[], void, undefined> {
  const { batchSize } = options;
  const afterLine = options.afterLine ?? 0;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE)
    throw new RangeError(`batchSize ${batchSize}: a whole number from 1 to ${MAX_BATCH_SIZE}`);
  if (!Number.isSafeInteger(afterLine) || afterLine < 0)
    throw new RangeError(`afterLine ${afterLine}: a line number`);
  const splitter = new LineSplitter(profile.maxRecordBytes);
  const reader = recordReader(profile, afterLine, options.onHeader);
  let pending: SourceRecord[] = [];
  for await (const chunk of input) {
    splitter.push(bytesOf(chunk));
    for (let line = splitter.next(); line !== null; line = splitter.next()) {
      reader.line(line, pending);
      if (pending.length >= batchSize) {
        const full = fullBatches(pending, batchSize);
        pending = full.rest;
        for (const batch of full.batches) yield batch;
      }
    }
  }
  splitter.end();
  for (let line = splitter.next(); line !== null; line = splitter.next()) reader.line(line, pending);
  reader.end(pending);
  const full = fullBatches(pending, batchSize);
  for (const batch of full.batches) yield batch;
  if (full.rest.length > 0) yield full.rest;
}

function recordReader(
  profile: SourceProfile,
  afterLine: number,
  onHeader: ((raw: string) => void) | undefined,
): RecordReader {
  const { maxRecordBytes } = profile;
  switch (profile.format) {
    case 'jsonl':
      return new JsonlRecordReader(profile, afterLine);
    case 'asterisk':
      return new DelimitedRecordReader({
        delimiter: SWITCH_DELIMITER,
        quote: SWITCH_QUOTE,
        maxRecordBytes,
        afterLine,
        format: asteriskRecordFormat(profile),
      });
    case 'freeswitch':
      return new DelimitedRecordReader({
        delimiter: SWITCH_DELIMITER,
        quote: SWITCH_QUOTE,
        maxRecordBytes,
        afterLine,
        format: freeswitchRecordFormat(profile),
      });
    case 'csv': {
      const { delimiter, quote, header } = profile.csv;
      return new DelimitedRecordReader({
        delimiter,
        quote,
        maxRecordBytes,
        afterLine,
        format: header
          ? { fromHeader: (fields) => csvProfileRecordFormat(profile, fields) }
          : csvProfileRecordFormat(profile, null),
        onHeader,
      });
    }
  }
}

/** A chunk as bytes: file and gzip streams give Buffers, a stream made from text gives strings. */
function bytesOf(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`readSourceRecords reads bytes or text, not ${typeof chunk}`);
}

/** Cuts the pending records into batches of exactly batchSize, and what is left over. */
function fullBatches(
  pending: SourceRecord[],
  batchSize: number,
): { batches: SourceRecord[][]; rest: SourceRecord[] } {
  if (pending.length < batchSize) return { batches: [], rest: pending };
  if (pending.length === batchSize) return { batches: [pending], rest: [] };
  const batches: SourceRecord[][] = [];
  let start = 0;
  for (; start + batchSize <= pending.length; start += batchSize)
    batches.push(pending.slice(start, start + batchSize));
  return { batches, rest: pending.slice(start) };
}
