import { describe, expect, it } from 'vitest';
import { outcomeSummary, profileOf, readRecords, readSample, usageOf } from './read-records.js';

const FREESWITCH = profileOf({ format: 'freeswitch', timeZone: 'Europe/Berlin' });

describe('FreeSWITCH Master.csv (the example template)', () => {
  it('reads answered calls and skips the unanswered', async () => {
    const { records } = await readSample('freeswitch-master.csv', FREESWITCH);
    expect(records.map(outcomeSummary)).toEqual([
      '1 record',
      '2 skip not answered: NO_ANSWER',
      // No answer_stamp, though the hangup cause is NORMAL_CLEARING: the caller gave up.
      '3 skip not answered: NORMAL_CLEARING',
      '4 record',
    ]);
    expect(usageOf(records[0])).toEqual({
      recordId: 'a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d',
      subscriber: { kind: 'msisdn', value: '1001' },
      service: 'call',
      direction: 'outgoing',
      destination: '4930123456',
      startedAtMs: Date.parse('2026-03-28T08:15:09Z'),
      unit: 'seconds',
      units: 125n,
      chargingSessionKey: 'a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d',
    });
    // Answered, hung up within the second: a call of 0 seconds, still priced (connection fee).
    expect(usageOf(records[3])).toMatchObject({ units: 0n, destination: '4940777888' });
  });

  it('reads the template compiled into mod_cdr_csv (13 fields, a space before accountcode)', async () => {
    const line =
      '"Alice","1001","4930123456","default","2026-03-28 09:15:02","2026-03-28 09:15:09","2026-03-28 09:17:14","132","125","NORMAL_CLEARING","a5c9f6c0","", "1001"\n';
    const { records } = await readRecords(line, FREESWITCH);
    expect(usageOf(records[0])).toMatchObject({ recordId: 'a5c9f6c0', units: 125n });
  });

  it.each([
    ['"Eve "the boss"","1005",', 'malformed_record', 'field 1: its closing quote is followed by "t"'],
    ['"Eve","","4930123456",', 'missing_field caller_id_number', 'caller_id_number is empty'],
  ])('rejects %s…', async (start, summary, message) => {
    const line =
      `${start}"default","2026-03-28 09:15:02","2026-03-28 09:15:09","2026-03-28 09:17:14","132","125","NORMAL_CLEARING","u-1","","","PCMA","PCMA"\n`.replace(
        '"1005","default"',
        '"1005","4930123456","default"',
      );
    const { records } = await readRecords(line, FREESWITCH);
    expect(records.map(outcomeSummary)).toEqual([`1 ${summary}`]);
    expect(records[0]!.outcome.kind === 'reject' && records[0]!.outcome.message).toContain(message);
  });

  it('rejects a billsec above the duration', async () => {
    const line =
      '"A","1001","4930123456","default","2026-03-28 09:15:02","2026-03-28 09:15:09","2026-03-28 09:17:14","100","125","NORMAL_CLEARING","u-2","","","PCMA","PCMA"\n';
    const { records } = await readRecords(line, FREESWITCH);
    expect(records[0]!.outcome).toMatchObject({
      reason: 'impossible_usage',
      field: 'billsec',
      recordId: 'u-2',
    });
  });
});
