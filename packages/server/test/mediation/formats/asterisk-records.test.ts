import { describe, expect, it } from 'vitest';
import { outcomeSummary, profileOf, readRecords, readSample, usageOf } from './read-records.js';

const BERLIN_ASTERISK = profileOf({ format: 'asterisk', timeZone: 'Europe/Berlin' });

/** A Master.csv line of cdr_csv.c with the given disposition, times, and optional columns. */
function masterLine(
  options: { answer?: string; billsec?: number; disposition?: string; tail?: string[] } = {},
): string {
  const answer =
    options.answer === undefined
      ? '"2026-03-28 09:15:09"'
      : options.answer === ''
        ? ''
        : `"${options.answer}"`;
  const tail = (options.tail ?? []).map((value) => `,${value}`).join('');
  return `"","1001","4930123456","from-internal","""Alice"" <1001>","SIP/1001-01","SIP/trunk-02","Dial","SIP/trunk/4930123456,60","2026-03-28 09:15:02",${answer},"2026-03-28 09:17:14",132,${options.billsec ?? 125},"${options.disposition ?? 'ANSWERED'}","DOCUMENTATION"${tail}\n`;
}

describe('Asterisk Master.csv', () => {
  it('reads answered calls and skips the others', async () => {
    const { records } = await readSample('asterisk-master.csv', BERLIN_ASTERISK);
    expect(records.map(outcomeSummary)).toEqual([
      '1 record',
      '2 skip not answered: NO ANSWER',
      '3 skip not answered: BUSY',
      '4 record',
      '5 skip not answered: FAILED',
    ]);
    expect(usageOf(records[0])).toEqual({
      recordId: null,
      subscriber: { kind: 'msisdn', value: '1001' },
      service: 'call',
      direction: 'outgoing',
      destination: '4930123456',
      startedAtMs: Date.parse('2026-03-28T08:15:09Z'),
      unit: 'seconds',
      units: 125n,
      chargingSessionKey: null,
    });
    // Answered at 01:59 CET, the night the clocks went to summer time.
    expect(usageOf(records[3])).toMatchObject({
      destination: '00441632960961',
      startedAtMs: Date.parse('2026-03-29T00:59:00Z'),
      units: 120n,
    });
    expect(records[0]!.raw).toContain('"""Alice"" <1001>"');
  });

  it('takes uniqueid as the record id and charging session when the switch logs it', async () => {
    const { records } = await readSample('asterisk-master-uniqueid.csv', BERLIN_ASTERISK);
    expect(records.map(outcomeSummary)).toEqual(['1 record', '2 skip not answered: NO ANSWER', '3 record']);
    // 02:10 on 25 October 2026 happens twice in Berlin: the first (summer time) is taken.
    expect(usageOf(records[0])).toMatchObject({
      recordId: '1793059800.10',
      chargingSessionKey: '1793059800.10',
      startedAtMs: Date.parse('2026-10-25T00:10:05Z'),
      units: 60n,
    });
    expect(usageOf(records[2])).toMatchObject({
      recordId: '1793084700.12',
      startedAtMs: Date.parse('2026-10-25T08:05:02Z'),
    });
  });

  it('reads every combination of the optional columns', async () => {
    const newColumns = ['"peer"', '"1793084700.11"', '42'];
    const text = [
      masterLine(),
      masterLine({ tail: ['"17.1"'] }),
      masterLine({ tail: ['"18.1"', '"vip"'] }),
      masterLine({ tail: newColumns }),
      masterLine({ tail: ['"20.1"', ...newColumns] }),
      masterLine({ tail: ['"21.1"', '"vip"', ...newColumns] }),
    ].join('');
    const { records } = await readRecords(text, BERLIN_ASTERISK);
    expect(records.map((record) => usageOf(record).recordId)).toEqual([
      null,
      '17.1',
      '18.1',
      null,
      '20.1/42',
      '21.1/42',
    ]);
    // The session is the channel's uniqueid; the sequence tells apart the CDRs of one channel.
    expect(usageOf(records[5]).chargingSessionKey).toBe('21.1');
  });

  it('reads a 17th column as userfield when the source says uniqueid is not logged', async () => {
    const profile = profileOf({ format: 'asterisk', asterisk: { uniqueId: false, userField: true } });
    const { records } = await readRecords(
      masterLine({ tail: ['"vip"'] }) + masterLine({ tail: ['"1.1"', '"vip"'] }),
      profile,
    );
    expect(usageOf(records[0]).recordId).toBeNull();
    expect(records[1]!.outcome).toMatchObject({
      kind: 'reject',
      reason: 'malformed_record',
      message: 'the record has 18 fields where the format has 17 or 20',
    });
  });

  it.each([
    [masterLine({ answer: '' }), 'invalid_field answer', 'answer is empty in the record of an answered call'],
    [
      masterLine({ answer: '2026-03-28 9:15:09' }),
      'invalid_field answer',
      'answer "2026-03-28 9:15:09" is not a time in the local format YYYY-MM-DD HH:MM:SS',
    ],
    [masterLine({ billsec: 133 }), 'impossible_usage billsec', 'billsec 133 is more than duration 132'],
    [masterLine({ billsec: -1 }), 'negative_usage billsec', 'billsec "-1" is negative'],
    [masterLine().replace('"1001"', '""'), 'missing_field src', 'src is empty'],
    [
      masterLine().replace(',132,', ',13.2,'),
      'invalid_field duration',
      'duration "13.2" is not a whole number of units',
    ],
    [
      masterLine().replace(',"DOCUMENTATION"', ''),
      'malformed_record',
      'the record has 15 fields where the format has 16, 17, 18, 19, 20 or 21',
    ],
  ])('rejects %s', async (line, summary, message) => {
    const { records } = await readRecords(line, BERLIN_ASTERISK);
    expect(records.map(outcomeSummary)).toEqual([`1 ${summary}`]);
    expect(records[0]!.outcome.kind === 'reject' && records[0]!.outcome.message).toContain(message);
  });

  it('rejects a call longer than the source allows', async () => {
    const profile = profileOf({ format: 'asterisk', maxDurationSeconds: 60 });
    const { records } = await readRecords(masterLine({ tail: ['"9.9"'] }), profile);
    expect(records[0]!.outcome).toEqual({
      kind: 'reject',
      reason: 'impossible_usage',
      field: 'billsec',
      message: "billsec 125 seconds is longer than the source's limit of 60 seconds",
      recordId: '9.9',
    });
  });
});
