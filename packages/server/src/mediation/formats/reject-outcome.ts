import type { RecordOutcome, RejectReason } from '../usage-record.js';

/** Values quoted in messages are cut here: a message is shown in lists and stored (2,000 chars at most). */
const MAX_QUOTED_CHARS = 64;

export function rejectOutcome(
  reason: RejectReason,
  field: string | null,
  message: string,
  recordId: string | null,
): RecordOutcome {
  return { kind: 'reject', reason, field, message, recordId };
}

/** A value as a message shows it: JSON-quoted (so blanks and control characters are visible), cut when long. */
export function quotedValue(value: string): string {
  if (value.length <= MAX_QUOTED_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MAX_QUOTED_CHARS))}… (${value.length} chars)`;
}
