import type { TariffSource } from '../tariffs/load-tariff.js';
import type { CdrContext } from './cdr-rating-request.js';
import type { TallyCounts } from './rating-tally.js';

/** What a rating worker is started with: it loads the tariff itself, once. */
export interface RatingWorkerData {
  readonly source: TariffSource;
  readonly context: CdrContext;
}

/**
 * One chunk of the CDR file, whole lines only (its last byte is `\n`): the bytes of
 * `buffer[0, length)`, transferred to the worker, never copied.
 */
export interface ChunkRequest {
  /** Position of the chunk in the file, from 0; outputs are written in this order. */
  readonly seq: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
  /** The file's first chunk starts with its header, which the worker checks and skips. */
  readonly first: boolean;
  /** The file the chunk comes from, named in the error about a wrong header. */
  readonly path: string;
}

export type WorkerReply =
  | {
      readonly kind: 'ready';
      /** The worker's own time to load the tariff: read, parse, check and compile. */
      readonly loadMs: number;
      readonly heapUsedBytes: number;
    }
  | {
      readonly kind: 'rated';
      readonly seq: number;
      /** The chunk's output lines, transferred back: `output[offset, offset + length)`. */
      readonly output: ArrayBuffer;
      readonly outputOffset: number;
      readonly outputLength: number;
      readonly tally: TallyCounts;
      /** Time the worker spent on the chunk: decode, split, parse, rate, format, encode. */
      readonly busyMs: number;
      readonly heapUsedBytes: number;
    }
  | { readonly kind: 'failed'; readonly message: string };
