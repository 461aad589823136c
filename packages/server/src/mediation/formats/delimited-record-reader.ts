import type { RecordOutcome, SourceRecord } from '../usage-record.js';
import { DelimitedFieldParser } from './delimited-field-parser.js';
import type { DelimitedRecordFormat } from './delimited-record-format.js';
import type { PhysicalLine } from './line-splitter.js';
import type { RecordReader } from './record-reader.js';
import { rejectOutcome } from './reject-outcome.js';
import { tooLargeOutcome } from './too-large-outcome.js';

export interface DelimitedReading {
  readonly delimiter: string;
  /** '' when the format quotes nothing. */
  readonly quote: string;
  readonly maxRecordBytes: number;
  /** Records that start on or before this line are read (to keep in step with quoting) but not given out. */
  readonly afterLine: number;
  /** The format of the records; a file whose first line is a header gets it from the header's fields. */
  readonly format:
    | DelimitedRecordFormat
    | { readonly fromHeader: (fields: readonly string[]) => DelimitedRecordFormat };
  /** Told the header line's text, so a record can be read again later with the header it was read with. */
  readonly onHeader?: ((raw: string) => void) | undefined;
}

/**
 * Reads the records of a delimited file from its lines. A record is one line, or more while a
 * quoted field holds line breaks; it is numbered by the line it starts on.
 *
 * A broken quote must not swallow the records after it. A record that spans lines is trusted
 * only if it closes within the size limit, parses, and has a field count of the format. Else
 * its first line is rejected as malformed and the lines after it are read again: the middle ones
 * each as a one-line record, the last as a fresh start (its quote most likely opened a field
 * rather than closed one). Every line is so read at most three times, and a broken line costs
 * only itself and the lines that cannot be told apart from it.
 */
export class DelimitedRecordReader implements RecordReader {
  private readonly reading: DelimitedReading;
  private readonly parser: DelimitedFieldParser;
  /** Null until the header line is read, in a file that has one. */
  private format: DelimitedRecordFormat | null;
  /** The lines of the record being read while a quoted field is open, and their size with line breaks. */
  private span: PhysicalLine[] = [];
  private spanBytes = 0;

  constructor(reading: DelimitedReading) {
    this.reading = reading;
    this.parser = new DelimitedFieldParser(reading.delimiter, reading.quote);
    this.format = 'fromHeader' in reading.format ? null : reading.format;
  }

  line(line: PhysicalLine, out: SourceRecord[]): void {
    if (this.span.length === 0) this.begin(line, true, out);
    else this.continue(line, out);
  }

  end(out: SourceRecord[]): void {
    // Each resynchronisation takes at least the first line of the span: the span shrinks every turn.
    for (let turn = 0; this.span.length > 0; turn++) {
      if (turn > this.reading.maxRecordBytes)
        throw new Error('DelimitedRecordReader.end did not shrink its span');
      this.resynchronise('the file ends inside a quoted field that opens on this line', out);
    }
  }

  /** A line that starts a record; in a line-by-line re-read (mayContinue false) an open quote is its end. */
  private begin(line: PhysicalLine, mayContinue: boolean, out: SourceRecord[]): void {
    if (line.tooLarge) {
      this.emit(line, line.text, tooLargeOutcome(line.byteLength, this.reading.maxRecordBytes), out);
      return;
    }
    if (this.isBlank(line.text)) return;
    const parsed = this.parser.begin(line.text);
    if (parsed.kind === 'fields') this.complete([line], parsed.fields, out);
    else if (parsed.kind === 'broken') this.emit(line, line.text, malformed(parsed.message), out);
    else if (mayContinue) {
      this.span = [line];
      this.spanBytes = line.byteLength;
    } else
      this.emit(
        line,
        line.text,
        malformed(
          'a quoted field opens on this line and does not close on it (read line by line after a broken quote)',
        ),
        out,
      );
  }

  private continue(line: PhysicalLine, out: SourceRecord[]): void {
    const previous = this.span[this.span.length - 1]!;
    this.span.push(line);
    this.spanBytes += previous.lineBreak.length + line.byteLength;
    const limit = this.reading.maxRecordBytes;
    if (line.tooLarge || this.spanBytes > limit) {
      this.resynchronise(
        `a quoted field that opens on this line runs on past ${limit} bytes without closing`,
        out,
      );
      return;
    }
    const parsed = this.parser.resume(previous.lineBreak + line.text);
    if (parsed.kind === 'open') return;
    if (parsed.kind === 'broken') {
      this.resynchronise(
        `a quoted field that opens on this line runs on to line ${line.lineNumber}, where ${parsed.message}`,
        out,
      );
      return;
    }
    const { format } = this;
    if (format !== null && !format.fitsFieldCount(parsed.fields.length)) {
      this.resynchronise(
        `a quoted field that opens on this line runs on to line ${line.lineNumber}, giving ${parsed.fields.length} fields where the format has ${format.fieldCounts}`,
        out,
      );
      return;
    }
    const lines = this.span;
    this.span = [];
    this.spanBytes = 0;
    this.complete(lines, parsed.fields, out);
  }

  /** Rejects the first line of the open span and reads the rest again (see the class comment). */
  private resynchronise(problem: string, out: SourceRecord[]): void {
    const lines = this.span;
    this.span = [];
    this.spanBytes = 0;
    const first = lines[0]!;
    this.emit(first, first.text, malformed(problem), out);
    for (let index = 1; index < lines.length; index++)
      this.begin(lines[index]!, index === lines.length - 1, out);
  }

  private complete(lines: readonly PhysicalLine[], fields: readonly string[], out: SourceRecord[]): void {
    const first = lines[0]!;
    const { format } = this;
    if (format === null) {
      const raw = rawOf(lines);
      if ('fromHeader' in this.reading.format) this.format = this.reading.format.fromHeader(fields);
      this.reading.onHeader?.(raw);
      return;
    }
    // Resuming after a crash: the record was stored before; only its place in the file mattered.
    if (first.lineNumber <= this.reading.afterLine) return;
    const outcome = format.fitsFieldCount(fields.length)
      ? format.outcome(fields)
      : malformed(`the record has ${fields.length} fields where the format has ${format.fieldCounts}`);
    out.push({ lineNumber: first.lineNumber, raw: rawOf(lines), outcome });
  }

  /**
   * A record that cannot be read. In a file with a header, an unreadable first line is still the
   * header: every record after it is rejected with the reason, rather than read by a guess.
   */
  private emit(line: PhysicalLine, raw: string, outcome: RecordOutcome, out: SourceRecord[]): void {
    if (this.format === null) {
      this.format = unreadableHeader(line.lineNumber, outcome.kind === 'reject' ? outcome.message : '');
      this.reading.onHeader?.(raw);
      return;
    }
    if (line.lineNumber <= this.reading.afterLine) return;
    out.push({ lineNumber: line.lineNumber, raw, outcome });
  }

  /** Blank: nothing but spaces and tabs, unless the tab is the delimiter (then it is a record of empty fields). */
  private isBlank(text: string): boolean {
    if (text.length === 0) return true;
    return /^[ \t]+$/.test(text) && !text.includes(this.reading.delimiter);
  }
}

function rawOf(lines: readonly PhysicalLine[]): string {
  if (lines.length === 1) return lines[0]!.text;
  let raw = lines[0]!.text;
  for (let index = 1; index < lines.length; index++) raw += lines[index - 1]!.lineBreak + lines[index]!.text;
  return raw;
}

function malformed(message: string): RecordOutcome {
  return rejectOutcome('malformed_record', null, message, null);
}

function unreadableHeader(lineNumber: number, problem: string): DelimitedRecordFormat {
  const outcome = malformed(
    `the header on line ${lineNumber} cannot be read (${problem}), so no column can be found`,
  );
  return { fitsFieldCount: () => true, fieldCounts: 'any number of', outcome: () => outcome };
}
