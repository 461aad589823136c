import type { SourceRecord } from '../usage-record.js';
import type { PhysicalLine } from './line-splitter.js';

/** Turns the lines of a file into source records, one format's way. */
export interface RecordReader {
  /** Reads the next line; the records it completes (none, one, or several) are appended to `out`. */
  line(line: PhysicalLine, out: SourceRecord[]): void;
  /** The file ended: a record still open is completed or rejected into `out`. */
  end(out: SourceRecord[]): void;
}
