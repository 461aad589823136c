import { DIAMETER_VERSION, HEADER_BYTES } from './diameter-message.js';
import { RESULT_CODE } from './result-codes.js';

/** A stream that cannot be split into messages any more (RFC 6733 3): answer if possible, close. */
export interface FramingError {
  readonly resultCode: typeof RESULT_CODE.unsupportedVersion | typeof RESULT_CODE.invalidMessageLength;
  readonly reason: string;
  /** The first 20 bytes, to address an answer to the faulty request. */
  readonly header: Buffer;
}

/** 1 MiB: far above any credit-control message, low enough to bound a connection's memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Splits a TCP byte stream into Diameter messages. `push` a chunk, then call `next` until it
 * returns undefined: whole messages inside one chunk are returned as views of it without
 * copying; only a message split across chunks is copied, once its bytes are joined.
 */
export class MessageFramer {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;
  private failed: FramingError | undefined;

  constructor(private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer): void {
    if (this.failed !== undefined) return;
    const leftover = this.pending.length - this.offset;
    this.pending = leftover === 0 ? chunk : Buffer.concat([this.pending.subarray(this.offset), chunk]);
    this.offset = 0;
  }

  /** The next whole message, a framing error (then always the same one), or undefined for "wait". */
  next(): Buffer | FramingError | undefined {
    if (this.failed !== undefined) return this.failed;
    const available = this.pending.length - this.offset;
    if (available < 4) return undefined;
    const version = this.pending[this.offset];
    const length = this.pending.readUIntBE(this.offset + 1, 3);
    const problem = this.check(version, length);
    // Wait for a whole header, when the peer sends one, so that the error can be answered.
    if (problem !== undefined) return available < HEADER_BYTES ? undefined : this.fail(problem);
    if (available < length) return undefined;
    const frame = this.pending.subarray(this.offset, this.offset + length);
    this.offset += length;
    return frame;
  }

  /** Bytes held for a message not yet complete. */
  get bufferedBytes(): number {
    return this.pending.length - this.offset;
  }

  private check(version: number | undefined, length: number): Omit<FramingError, 'header'> | undefined {
    if (version !== DIAMETER_VERSION)
      return { resultCode: RESULT_CODE.unsupportedVersion, reason: `version ${version} is not 1` };
    // RFC 6733 3: the length covers the 20-byte header and padded AVPs, so it is a multiple of 4.
    if (length < HEADER_BYTES || length % 4 !== 0)
      return { resultCode: RESULT_CODE.invalidMessageLength, reason: `message length ${length} is invalid` };
    if (length > this.maxMessageBytes)
      return {
        resultCode: RESULT_CODE.invalidMessageLength,
        reason: `message length ${length} is above the limit`,
      };
    return undefined;
  }

  private fail(problem: Omit<FramingError, 'header'>): FramingError {
    const header = Buffer.from(this.pending.subarray(this.offset, this.offset + HEADER_BYTES));
    this.failed = { ...problem, header };
    this.pending = Buffer.alloc(0);
    this.offset = 0;
    return this.failed;
  }
}

export function isFramingError(value: Buffer | FramingError): value is FramingError {
  return !Buffer.isBuffer(value);
}
