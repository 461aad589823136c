import type { RecordOutcome } from '../usage-record.js';
import { rejectOutcome } from './reject-outcome.js';
import { type UsageEventDefaults, usageEventOutcome } from './usage-event.js';

/** Parser messages quote the input; cut so a message stays short. */
const MAX_PARSE_MESSAGE_CHARS = 200;

/** One line of a JSON Lines file: a usage event (see usage-event.ts). */
export function jsonlRecord(line: string, defaults: UsageEventDefaults): RecordOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const message = (error as Error).message.slice(0, MAX_PARSE_MESSAGE_CHARS);
    return rejectOutcome('malformed_record', null, `the line is not JSON: ${message}`, null);
  }
  return usageEventOutcome(value, defaults);
}
