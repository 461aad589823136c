import type { RecordOutcome } from '../usage-record.js';
import { checkedUsageRecord } from './checked-usage-record.js';
import { quotedValue, rejectOutcome } from './reject-outcome.js';
import type { SourceProfile } from './source-profile.js';
import { readSourceTime } from './source-time.js';
import { readWholeCount } from './usage-quantity.js';
import { zoneClockOf } from './zone-clock-of.js';

/** The fields of an answered call as a soft switch's CSV writes them (Asterisk, FreeSWITCH). */
export interface SwitchCall {
  readonly recordId: string | null;
  readonly caller: string;
  readonly callee: string;
  /** Local time YYYY-MM-DD HH:MM:SS of the switch (its zone is the source's timeZone). */
  readonly answeredAt: string;
  /** Seconds from the start of the attempt to its end. */
  readonly duration: string;
  /** Seconds from answer to end: what is billed. */
  readonly billsec: string;
  readonly sessionKey: string | null;
}

/** The switch's own names of the fields, for rejects. */
export interface SwitchCallFieldNames {
  readonly recordId: string;
  readonly caller: string;
  readonly callee: string;
  readonly answeredAt: string;
  readonly duration: string;
  readonly billsec: string;
}

/**
 * An answered call as a usage record: the caller is charged, for the billable seconds, from the
 * answer. billsec counts from answer and duration from the start of the attempt, to the same end,
 * so a billsec above duration is a clock or file fault.
 */
export function switchCallOutcome(
  call: SwitchCall,
  names: SwitchCallFieldNames,
  profile: SourceProfile,
): RecordOutcome {
  const { recordId } = call;
  const reject = (reason: Parameters<typeof rejectOutcome>[0], field: string, message: string) =>
    rejectOutcome(reason, field, message, recordId);
  if (call.caller === '') return reject('missing_field', names.caller, `${names.caller} is empty`);
  if (call.answeredAt === '')
    return reject(
      'invalid_field',
      names.answeredAt,
      `${names.answeredAt} is empty in the record of an answered call`,
    );
  const answered = readSourceTime(call.answeredAt, 'local', zoneClockOf(profile.timeZone));
  if (!answered.ok)
    return reject(
      'invalid_field',
      names.answeredAt,
      `${names.answeredAt} ${quotedValue(call.answeredAt)} is not ${answered.expected}`,
    );
  const duration = readWholeCount(call.duration);
  if (!duration.ok)
    return reject(
      duration.reason,
      names.duration,
      `${names.duration} ${quotedValue(call.duration)} ${duration.problem}`,
    );
  const billsec = readWholeCount(call.billsec);
  if (!billsec.ok)
    return reject(
      billsec.reason,
      names.billsec,
      `${names.billsec} ${quotedValue(call.billsec)} ${billsec.problem}`,
    );
  if (billsec.value > duration.value)
    return reject(
      'impossible_usage',
      names.billsec,
      `${names.billsec} ${billsec.value} is more than ${names.duration} ${duration.value}: a call is billed from answer to end, within its whole duration`,
    );
  return checkedUsageRecord(
    {
      recordId,
      subscriber: { kind: profile.subscriberKind, value: call.caller },
      service: 'call',
      direction: 'outgoing',
      destination: call.callee,
      startedAtMs: answered.epochMs,
      unit: 'seconds',
      units: billsec.value,
      chargingSessionKey: call.sessionKey,
    },
    profile,
    {
      recordId: names.recordId,
      subscriber: names.caller,
      destination: names.callee,
      units: names.billsec,
      chargingSession: names.recordId,
    },
  );
}
