import type { RecordOutcome, UsageRecord } from '../usage-record.js';
import { quotedValue, rejectOutcome } from './reject-outcome.js';

/** Bounds of the text fields: the natural key (record_key) and identifiers are stored with limits. */
export const MAX_RECORD_ID_CHARS = 200;
export const MAX_IDENTIFIER_CHARS = 256;

/** The names a format gives the fields these checks look at, for the reject's field and message. */
export interface UsageFieldNames {
  readonly recordId: string;
  readonly subscriber: string;
  readonly destination: string;
  readonly units: string;
  readonly chargingSession: string;
}

/**
 * The checks every format shares once a record is read: lengths the store holds, and a duration
 * no record may have. A record that passes is the outcome; otherwise the first failing field.
 */
export function checkedUsageRecord(
  record: UsageRecord,
  limits: { readonly maxDurationSeconds: number },
  names: UsageFieldNames,
): RecordOutcome {
  const { recordId } = record;
  if (recordId !== null && recordId.length > MAX_RECORD_ID_CHARS)
    return rejectOutcome(
      'invalid_field',
      names.recordId,
      `${names.recordId} ${quotedValue(recordId)} is longer than ${MAX_RECORD_ID_CHARS} characters`,
      null,
    );
  const long = tooLong(record, names);
  if (long !== null) return rejectOutcome('invalid_field', long.field, long.message, recordId);
  if (record.unit === 'seconds' && record.units > BigInt(limits.maxDurationSeconds))
    return rejectOutcome(
      'impossible_usage',
      names.units,
      `${names.units} ${record.units} seconds is longer than the source's limit of ${limits.maxDurationSeconds} seconds`,
      recordId,
    );
  return { kind: 'record', record };
}

function tooLong(record: UsageRecord, names: UsageFieldNames): { field: string; message: string } | null {
  const fields: readonly [string, string | null][] = [
    [names.subscriber, record.subscriber.value],
    [names.destination, record.destination],
    [names.chargingSession, record.chargingSessionKey],
  ];
  for (const [field, value] of fields)
    if (value !== null && value.length > MAX_IDENTIFIER_CHARS)
      return {
        field,
        message: `${field} ${quotedValue(value)} is longer than ${MAX_IDENTIFIER_CHARS} characters`,
      };
  return null;
}
