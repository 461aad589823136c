import type { RecordOutcome } from '../usage-record.js';

/** How the fields of one record of a delimited format (a CSV profile, Asterisk, FreeSWITCH) read. */
export interface DelimitedRecordFormat {
  /**
   * Whether a record of this many fields can be one of the format. A record that does not fit is
   * malformed; one that spans lines and does not fit is taken for a broken quote and read again
   * line by line (see DelimitedRecordReader).
   */
  fitsFieldCount(count: number): boolean;
  /** The field counts that fit, in words: "16 to 21". */
  readonly fieldCounts: string;
  /** The outcome of a record whose field count fits. */
  outcome(fields: readonly string[]): RecordOutcome;
}
