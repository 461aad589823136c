import { createReadStream } from 'node:fs';

export interface CsvBatchOptions {
  /** The header the file must start with; a different header means the wrong file. */
  readonly columns: readonly string[];
  /** Bytes read at a time; each read yields one batch of records. */
  readonly chunkBytes?: number;
}

/** A bound on one line: a CDR is under a hundred characters, so a longer line is a broken file. */
export const MAX_LINE_CHARS = 64 * 1024;
export const DEFAULT_CHUNK_BYTES = 1 << 20;
const NEWLINE = '\n';
const COMMA = ',';
const CARRIAGE_RETURN = 13;

/**
 * Streams a simple CSV file as batches of records, one batch per chunk read, never holding the
 * whole file: lines end at `\n` (a `\r` before it is dropped), fields are split at every `,`.
 * There is no quoting: the files read here are written by machines with no comma, quote or line
 * break inside a field. Blank lines are skipped. Callers receive each batch before the next
 * chunk is read, so a slow consumer slows the reader down (backpressure through the iterator).
 */
export async function* readCsvBatches(
  path: string,
  options: CsvBatchOptions,
): AsyncGenerator<readonly (readonly string[])[]> {
  const stream = createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  });
  let carry = '';
  let headerSeen = false;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry + chunk;
    const lastBreak = text.lastIndexOf(NEWLINE);
    if (lastBreak < 0) {
      carry = checkedCarry(text, path);
      continue;
    }
    carry = checkedCarry(text.slice(lastBreak + 1), path);
    const records = splitRecords(text, lastBreak);
    if (!headerSeen) {
      checkHeader(records.shift(), options.columns, path);
      headerSeen = true;
    }
    if (records.length > 0) yield records;
  }
  const last = splitRecords(`${carry}${NEWLINE}`, carry.length);
  if (!headerSeen) checkHeader(last.shift(), options.columns, path);
  if (last.length > 0) yield last;
}

/**
 * The records of the complete lines in text[0, end], where text[end] is the last `\n`: lines end at
 * `\n` (a `\r` before it is dropped), blank lines are skipped, fields are split at every `,`. Pure,
 * so that a worker thread splitting a chunk of the file splits it exactly as this reader does.
 */
export function splitRecords(text: string, end: number): string[][] {
  const records: string[][] = [];
  let start = 0;
  while (start <= end) {
    const lineEnd = text.indexOf(NEWLINE, start);
    const contentEnd =
      lineEnd > start && text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
    if (contentEnd > start) records.push(splitFields(text, start, contentEnd));
    start = lineEnd + 1;
  }
  return records;
}

function splitFields(text: string, start: number, end: number): string[] {
  const fields: string[] = [];
  let fieldStart = start;
  for (;;) {
    const comma = text.indexOf(COMMA, fieldStart);
    if (comma < 0 || comma >= end) break;
    fields.push(text.slice(fieldStart, comma));
    fieldStart = comma + 1;
  }
  fields.push(text.slice(fieldStart, end));
  return fields;
}

function checkedCarry(carry: string, path: string): string {
  if (carry.length > MAX_LINE_CHARS) {
    throw new Error(`${path}: a line is longer than ${MAX_LINE_CHARS} characters; not a CDR file`);
  }
  return carry;
}

/** The bench writes these files itself, so a wrong header is a bug, not a business outcome. */
export function checkHeader(
  header: readonly string[] | undefined,
  columns: readonly string[],
  path: string,
): void {
  if (header === undefined || header.join(COMMA) !== columns.join(COMMA)) {
    throw new Error(
      `${path}: expected the header ${columns.join(COMMA)}, found ${header?.join(COMMA) ?? 'nothing'}`,
    );
  }
}
