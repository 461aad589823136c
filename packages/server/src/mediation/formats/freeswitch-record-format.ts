import type { RecordOutcome } from '../usage-record.js';
import type { DelimitedRecordFormat } from './delimited-record-format.js';
import type { SourceProfile } from './source-profile.js';
import { type SwitchCallFieldNames, switchCallOutcome } from './switch-call-outcome.js';

/**
 * FreeSWITCH mod_cdr_csv's Master.csv with the "example" template, the default-template of the
 * shipped conf/vanilla/autoload_configs/cdr_csv.conf.xml: no header, every field quoted, stamps
 * "YYYY-MM-DD HH:MM:SS" in the switch's local time, one record per A leg (legs="a"):
 *
 *   0 caller_id_name  1 caller_id_number  2 destination_number  3 context  4 start_stamp
 *   5 answer_stamp  6 end_stamp  7 duration  8 billsec  9 hangup_cause  10 uuid  11 bleg_uuid
 *   12 accountcode  13 read_codec  14 write_codec
 *
 * The template compiled into mod_cdr_csv.c (used when the configuration names none) stops after
 * accountcode, so 13 fields are read too; it writes a space before accountcode's quote, which
 * leaves that field (not read here) with its quotes.
 */
const EXAMPLE_TEMPLATE_FIELDS = 15;
const BUILT_IN_TEMPLATE_FIELDS = 13;
const CALLER_ID_NUMBER = 1;
const DESTINATION_NUMBER = 2;
const ANSWER_STAMP = 5;
const DURATION = 7;
const BILLSEC = 8;
const HANGUP_CAUSE = 9;
const UUID = 10;

const NAMES: SwitchCallFieldNames = {
  recordId: 'uuid',
  caller: 'caller_id_number',
  callee: 'destination_number',
  answeredAt: 'answer_stamp',
  duration: 'duration',
  billsec: 'billsec',
};

export function freeswitchRecordFormat(profile: SourceProfile): DelimitedRecordFormat {
  return {
    fitsFieldCount: (count) => count === EXAMPLE_TEMPLATE_FIELDS || count === BUILT_IN_TEMPLATE_FIELDS,
    fieldCounts: `${EXAMPLE_TEMPLATE_FIELDS} or ${BUILT_IN_TEMPLATE_FIELDS}`,
    outcome: (fields) => freeswitchOutcome(fields, profile),
  };
}

/**
 * A call was answered exactly when it has an answer_stamp: the hangup cause does not tell (a
 * caller who gives up before answer is NORMAL_CLEARING too), and an answered call may last under
 * a second (billsec 0), which is still a call, with its connection fee.
 */
function freeswitchOutcome(fields: readonly string[], profile: SourceProfile): RecordOutcome {
  const answeredAt = fields[ANSWER_STAMP]!.trim();
  if (answeredAt === '')
    return { kind: 'skip', reason: `not answered: ${fields[HANGUP_CAUSE]!.trim() || 'no hangup_cause'}` };
  const uuid = fields[UUID]!.trim();
  return switchCallOutcome(
    {
      recordId: uuid === '' ? null : uuid,
      caller: fields[CALLER_ID_NUMBER]!.trim(),
      callee: fields[DESTINATION_NUMBER]!.trim(),
      answeredAt,
      duration: fields[DURATION]!,
      billsec: fields[BILLSEC]!,
      sessionKey: uuid === '' ? null : uuid,
    },
    NAMES,
    profile,
  );
}
