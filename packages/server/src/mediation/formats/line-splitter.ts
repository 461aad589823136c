/** One line of a file, as the splitter cut it. */
export interface PhysicalLine {
  /** 1-based, counted after a byte-order mark; CRLF and LF each end one line. */
  readonly lineNumber: number;
  /** The line's text without its line break; when too large, only its first maxLineBytes bytes. */
  readonly text: string;
  /** The line's whole length in UTF-8 bytes, without its line break. */
  readonly byteLength: number;
  readonly tooLarge: boolean;
  /** '\r\n' or '\n'; for a last line that no LF ends, '\r' or ''. */
  readonly lineBreak: string;
}

const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Cuts a byte stream into lines without holding more than one line: the text of a line longer
 * than the limit is kept only up to the limit, the rest is counted and dropped, so a file without
 * line breaks costs bounded memory. Bytes are split before they are decoded, so a line break is
 * never mistaken inside a multi-byte character, and a chunk boundary may fall anywhere. Text is
 * decoded as UTF-8; bytes that are not (a Latin-1 caller name) read as U+FFFD.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  private chunk: Buffer = Buffer.alloc(0);
  private position = 0;
  /** The start of a line that began in an earlier chunk: at most maxLineBytes + 1 bytes of it. */
  private partial: Buffer[] = [];
  private partialKept = 0;
  private partialTotal = 0;
  private partialLastByte = -1;
  private lineNumber = 0;
  /** The first bytes, held until there are enough to tell whether they are a byte-order mark. */
  private head: Buffer | null = Buffer.alloc(0);
  private ended = false;

  constructor(maxLineBytes: number) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1)
      throw new RangeError(`maxLineBytes ${maxLineBytes}`);
    this.maxLineBytes = maxLineBytes;
  }

  /** Gives the next chunk; the lines of the one before must all have been taken. */
  push(chunk: Buffer): void {
    if (this.ended) throw new Error('LineSplitter.push after end');
    if (this.position < this.chunk.length)
      throw new Error('LineSplitter.push before the last chunk was read');
    if (this.head !== null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < UTF8_BOM.length) return;
      chunk = this.withoutBom(this.head);
    }
    this.chunk = chunk;
    this.position = 0;
  }

  /** No more chunks: next() gives the last line even if no line break ends it. */
  end(): void {
    if (this.head !== null) {
      this.chunk = this.withoutBom(this.head);
      this.position = 0;
    }
    this.ended = true;
  }

  /** The next whole line, or null when the chunks given so far hold no more. */
  next(): PhysicalLine | null {
    const { chunk } = this;
    if (this.position < chunk.length) {
      const lineEnd = chunk.indexOf(LF, this.position);
      if (lineEnd !== -1) {
        const start = this.position;
        this.position = lineEnd + 1;
        return this.partialTotal === 0
          ? this.lineWithin(chunk, start, lineEnd)
          : this.joinedLine(chunk, start, lineEnd);
      }
      this.keepPartial(chunk.subarray(this.position));
      this.position = chunk.length;
    }
    if (this.ended && this.partialTotal > 0) return this.lastLine();
    return null;
  }

  private withoutBom(head: Buffer): Buffer {
    this.head = null;
    return head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? head.subarray(UTF8_BOM.length) : head;
  }

  /** The common case: a whole line inside one chunk. */
  private lineWithin(chunk: Buffer, start: number, lineEnd: number): PhysicalLine {
    const crlf = lineEnd > start && chunk[lineEnd - 1] === CR;
    const end = crlf ? lineEnd - 1 : lineEnd;
    return this.line(chunk, start, end, crlf ? '\r\n' : '\n');
  }

  /** A line that began in an earlier chunk and ends in this one. */
  private joinedLine(chunk: Buffer, start: number, lineEnd: number): PhysicalLine {
    this.keepPartial(chunk.subarray(start, lineEnd));
    return this.partialLine(this.partialLastByte === CR ? '\r\n' : '\n');
  }

  /** A last line without LF; a CR ending it is a line break all the same (a file cut after it). */
  private lastLine(): PhysicalLine {
    return this.partialLine(this.partialLastByte === CR ? '\r' : '');
  }

  private partialLine(lineBreak: string): PhysicalLine {
    const byteLength = this.partialTotal - (lineBreak.startsWith('\r') ? 1 : 0);
    const kept = Buffer.concat(this.partial, this.partialKept);
    this.clearPartial();
    return this.line(kept, 0, Math.min(byteLength, kept.length), lineBreak, byteLength);
  }

  /** Holds the start of an unfinished line: one byte past the limit, so that a CR before the break still counts. */
  private keepPartial(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = this.maxLineBytes + 1 - this.partialKept;
    if (room > 0) {
      const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
      // A copy: the chunk it is cut from is released when the stream moves on.
      this.partial.push(Buffer.from(kept));
      this.partialKept += kept.length;
    }
    this.partialTotal += bytes.length;
    this.partialLastByte = bytes[bytes.length - 1]!;
  }

  private clearPartial(): void {
    this.partial = [];
    this.partialKept = 0;
    this.partialTotal = 0;
    this.partialLastByte = -1;
  }

  /** The line held in bytes[start, end); byteLength is its whole length, end - start unless it was cut. */
  private line(
    bytes: Buffer,
    start: number,
    end: number,
    lineBreak: string,
    byteLength = end - start,
  ): PhysicalLine {
    this.lineNumber++;
    const tooLarge = byteLength > this.maxLineBytes;
    const textEnd = tooLarge ? utf8Boundary(bytes, start, Math.min(end, start + this.maxLineBytes)) : end;
    return {
      lineNumber: this.lineNumber,
      text: bytes.toString('utf8', start, textEnd),
      byteLength,
      tooLarge,
      lineBreak,
    };
  }
}

/**
 * The largest cut at or before `cut` that does not split a UTF-8 character: a continuation byte
 * (10xxxxxx) at the cut belongs to a character begun before it, at most 3 bytes back.
 */
function utf8Boundary(bytes: Buffer, start: number, cut: number): number {
  let boundary = cut;
  for (
    let step = 0;
    step < 3 && boundary > start && boundary < bytes.length && (bytes[boundary]! & 0xc0) === 0x80;
    step++
  )
    boundary--;
  return boundary;
}
