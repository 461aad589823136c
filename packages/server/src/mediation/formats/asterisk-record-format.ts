import type { RecordOutcome } from '../usage-record.js';
import type { DelimitedRecordFormat } from './delimited-record-format.js';
import type { AsteriskSourceProfile } from './source-profile.js';
import { type SwitchCallFieldNames, switchCallOutcome } from './switch-call-outcome.js';

/**
 * Asterisk's Master.csv, as cdr/cdr_csv.c (build_csv_record) writes it: no header, every text
 * field quoted, times "%Y-%m-%d %T" in the switch's local time (UTC with usegmtime=yes: set
 * the source's timeZone to match), an empty time unquoted. Sixteen columns always:
 *
 *   0 accountcode  1 src  2 dst  3 dcontext  4 clid  5 channel  6 dstchannel  7 lastapp
 *   8 lastdata  9 start  10 answer  11 end  12 duration  13 billsec  14 disposition  15 amaflags
 *
 * then, as cdr.conf [csv] asks: uniqueid (loguniqueid=yes), userfield (loguserfield=yes), and
 * peeraccount, linkedid, sequence (newcdrcolumns=yes).
 */
const BASE_COLUMNS = 16;
const SRC = 1;
const DST = 2;
const ANSWER = 10;
const DURATION = 12;
const BILLSEC = 13;
const DISPOSITION = 14;

const NAMES: SwitchCallFieldNames = {
  recordId: 'uniqueid',
  caller: 'src',
  callee: 'dst',
  answeredAt: 'answer',
  duration: 'duration',
  billsec: 'billsec',
};

/** Where the optional columns are in records of one field count. */
interface AsteriskLayout {
  readonly uniqueId: number | null;
  readonly sequence: number | null;
}

export function asteriskRecordFormat(profile: AsteriskSourceProfile): DelimitedRecordFormat {
  const layouts = asteriskLayouts(profile.asterisk);
  const counts = [...layouts.keys()].sort((a, b) => a - b);
  return {
    fitsFieldCount: (count) => layouts.has(count),
    fieldCounts:
      counts.length === 1 ? `${counts[0]}` : `${counts.slice(0, -1).join(', ')} or ${counts.at(-1)}`,
    outcome: (fields) => asteriskOutcome(fields, layouts.get(fields.length)!, profile),
  };
}

/**
 * The layouts the settings allow, by field count. A setting left out is told from the count;
 * where two layouts share a count (uniqueid or userfield alone: 17; either with the new columns:
 * 20), the one with uniqueid is taken, the option billing setups turn on. A source that logs
 * userfield without uniqueid says so in its settings.
 */
function asteriskLayouts(settings: AsteriskSourceProfile['asterisk']): ReadonlyMap<number, AsteriskLayout> {
  const layouts = new Map<number, AsteriskLayout>();
  for (const uniqueId of [true, false])
    for (const userField of [true, false])
      for (const newColumns of [true, false]) {
        if (settings.uniqueId !== undefined && settings.uniqueId !== uniqueId) continue;
        if (settings.userField !== undefined && settings.userField !== userField) continue;
        if (settings.newCdrColumns !== undefined && settings.newCdrColumns !== newColumns) continue;
        const count = BASE_COLUMNS + (uniqueId ? 1 : 0) + (userField ? 1 : 0) + (newColumns ? 3 : 0);
        if (layouts.has(count)) continue;
        layouts.set(count, {
          uniqueId: uniqueId ? BASE_COLUMNS : null,
          sequence: newColumns ? count - 1 : null,
        });
      }
  return layouts;
}

function asteriskOutcome(
  fields: readonly string[],
  layout: AsteriskLayout,
  profile: AsteriskSourceProfile,
): RecordOutcome {
  // ast_cdr_disp2str: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION. Only an answered call is usage.
  const disposition = fields[DISPOSITION]!.trim();
  if (disposition !== 'ANSWERED')
    return { kind: 'skip', reason: `not answered: ${disposition || 'no disposition'}` };
  const uniqueId = layout.uniqueId === null ? '' : fields[layout.uniqueId]!.trim();
  const sequence = layout.sequence === null ? '' : fields[layout.sequence]!.trim();
  return switchCallOutcome(
    {
      recordId: recordIdOf(uniqueId, sequence),
      caller: fields[SRC]!.trim(),
      callee: fields[DST]!.trim(),
      answeredAt: fields[ANSWER]!.trim(),
      duration: fields[DURATION]!,
      billsec: fields[BILLSEC]!,
      sessionKey: uniqueId === '' ? null : uniqueId,
    },
    NAMES,
    profile,
  );
}

/**
 * The uniqueid names the channel, and since Asterisk 12 one channel can leave several CDRs (a
 * transfer starts a new one under the same uniqueid). The sequence, a counter over all CDRs, tells
 * them apart when the switch writes it; without it, uniqueid alone is the key.
 */
function recordIdOf(uniqueId: string, sequence: string): string | null {
  if (uniqueId === '') return null;
  return sequence === '' ? uniqueId : `${uniqueId}/${sequence}`;
}
