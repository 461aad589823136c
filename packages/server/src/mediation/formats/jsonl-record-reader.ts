import type { SourceRecord } from '../usage-record.js';
import { jsonlRecord } from './jsonl-record.js';
import type { PhysicalLine } from './line-splitter.js';
import type { RecordReader } from './record-reader.js';
import type { SourceProfile } from './source-profile.js';
import { tooLargeOutcome } from './too-large-outcome.js';

/** JSON Lines: every line that is not blank is one record; JSON keeps line breaks inside strings escaped. */
export class JsonlRecordReader implements RecordReader {
  private readonly profile: SourceProfile;
  private readonly afterLine: number;

  constructor(profile: SourceProfile, afterLine: number) {
    this.profile = profile;
    this.afterLine = afterLine;
  }

  line(line: PhysicalLine, out: SourceRecord[]): void {
    // Resuming after a crash: counting the line is all it takes, nothing is parsed.
    if (line.lineNumber <= this.afterLine) return;
    if (line.tooLarge) {
      out.push({
        lineNumber: line.lineNumber,
        raw: line.text,
        outcome: tooLargeOutcome(line.byteLength, this.profile.maxRecordBytes),
      });
      return;
    }
    if (line.text.trim() === '') return;
    out.push({ lineNumber: line.lineNumber, raw: line.text, outcome: jsonlRecord(line.text, this.profile) });
  }

  end(): void {}
}
