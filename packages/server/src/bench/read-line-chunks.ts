import type { FileHandle } from 'node:fs/promises';
import { DEFAULT_CHUNK_BYTES, MAX_LINE_CHARS } from './read-csv-batches.js';

/** Whole lines of a file as raw bytes: `buffer[0, length)`, whose last byte is `\n`. */
export interface LineChunk {
  /** An ArrayBuffer of the chunk's own, so that it can be transferred to a worker thread. */
  readonly buffer: ArrayBuffer;
  readonly length: number;
}

const NEWLINE = 10;

/**
 * Reads a file as chunks of whole lines, never holding the whole file and never decoding it: each
 * read of `chunkBytes` is cut after its last `\n`, and the bytes after it are carried to the front
 * of the next chunk. The last line gets a `\n` if it has none; a file with no line at all yields a
 * chunk of one `\n`, so that whoever checks the header finds none, as readCsvBatches does. A line
 * is bounded as in readCsvBatches (here counted in bytes).
 */
export async function* readLineChunks(
  file: FileHandle,
  path: string,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<LineChunk> {
  let carry: Buffer = Buffer.alloc(0);
  let yielded = false;
  for (;;) {
    // Not from the shared pool: a pooled buffer's memory belongs to other buffers too.
    const buffer = Buffer.allocUnsafeSlow(carry.length + chunkBytes);
    carry.copy(buffer, 0);
    const { bytesRead } = await file.read(buffer, carry.length, chunkBytes, null);
    if (bytesRead === 0) break;
    const filled = carry.length + bytesRead;
    const lastBreak = buffer.lastIndexOf(NEWLINE, filled - 1);
    if (lastBreak < 0) {
      carry = checkedCarry(buffer.subarray(0, filled), path);
      continue;
    }
    // A copy: the chunk's buffer is about to be transferred, which empties it here.
    carry = checkedCarry(Buffer.from(buffer.subarray(lastBreak + 1, filled)), path);
    yielded = true;
    yield { buffer: buffer.buffer as ArrayBuffer, length: lastBreak + 1 };
  }
  if (carry.length > 0 || !yielded) {
    const last = Buffer.allocUnsafeSlow(carry.length + 1);
    carry.copy(last, 0);
    last[carry.length] = NEWLINE;
    yield { buffer: last.buffer as ArrayBuffer, length: last.length };
  }
}

function checkedCarry(carry: Buffer, path: string): Buffer {
  if (carry.length > MAX_LINE_CHARS) {
    throw new Error(`${path}: a line is longer than ${MAX_LINE_CHARS} bytes; not a CDR file`);
  }
  return carry;
}
