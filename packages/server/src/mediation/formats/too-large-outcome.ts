import type { RecordOutcome } from '../usage-record.js';
import { rejectOutcome } from './reject-outcome.js';

/** A record over the source's limit; its raw text is kept only up to the limit (as the line splitter cut it). */
export function tooLargeOutcome(byteLength: number, maxRecordBytes: number): RecordOutcome {
  return rejectOutcome(
    'record_too_large',
    null,
    `the record has ${byteLength} bytes, more than the source's limit of ${maxRecordBytes}; its raw text is cut to the first ${maxRecordBytes} bytes`,
    null,
  );
}
