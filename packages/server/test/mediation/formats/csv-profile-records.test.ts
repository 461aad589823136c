import { describe, expect, it } from 'vitest';
import { outcomeSummary, profileOf, readRecords, readSample, usageOf } from './read-records.js';

/** A switch's export: a header, its call id, numbers as dialled, ISO times, units in the service's unit. */
const SWITCH_EXPORT = profileOf({
  format: 'csv',
  timeZone: 'Europe/Berlin',
  csv: {
    header: true,
    columns: {
      recordId: 'call_id',
      subscriber: 'caller',
      destination: 'callee',
      service: 'service',
      startedAt: 'answered_at',
      units: 'units',
      chargingSession: 'session',
    },
  },
});

/** A mobile core's export by position, ';'-separated, with its own service and direction codes. */
const CORE_EXPORT = profileOf({
  format: 'csv',
  timeZone: 'Europe/Berlin',
  csv: {
    delimiter: ';',
    columns: { recordId: 1, subscriber: 2, destination: 3, service: 4, direction: 5, startedAt: 6, units: 7 },
    serviceMap: { VOICE: 'call', DATA: 'data', SMS: 'sms' },
    directionMap: { MO: 'outgoing', MT: 'incoming' },
    timeFormat: 'local',
  },
});

const HEADER = 'call_id,caller,callee,service,answered_at,units,session\n';

describe('CSV by a source profile', () => {
  it('maps columns by header name', async () => {
    const headers: string[] = [];
    const { records } = await readSample('switch-export.csv', SWITCH_EXPORT, {
      onHeader: (raw) => headers.push(raw),
    });
    expect(headers).toEqual([HEADER.trimEnd()]);
    expect(records.map(outcomeSummary)).toEqual(['2 record', '3 record', '4 record', '5 record']);
    expect(records.map((record) => usageOf(record).unit)).toEqual([
      'seconds',
      'messages',
      'seconds',
      'bytes',
    ]);
    expect(usageOf(records[0])).toEqual({
      recordId: 'c-1001',
      subscriber: { kind: 'msisdn', value: '+4930111111' },
      service: 'call',
      direction: 'outgoing',
      destination: '+4930222222',
      startedAtMs: Date.parse('2026-03-28T08:15:09Z'),
      unit: 'seconds',
      units: 125n,
      chargingSessionKey: null,
    });
    // A quoted field with the delimiter in it; a time without offset is Berlin time.
    expect(usageOf(records[2])).toMatchObject({
      destination: '+44 20 7946 0000, ext 12',
      startedAtMs: Date.parse('2026-03-28T09:00:00Z'),
      chargingSessionKey: 'sess-77',
    });
    expect(usageOf(records[3])).toMatchObject({
      units: 1_048_576n,
      startedAtMs: Date.parse('2026-03-28T11:00:00.250Z'),
    });
  });

  it('maps columns by position, with the file’s own codes', async () => {
    const { records } = await readSample('core-export-positions.csv', CORE_EXPORT);
    expect(records.map(outcomeSummary)).toEqual([
      '1 record',
      '2 record',
      '3 record',
      '4 invalid_field service',
    ]);
    expect(usageOf(records[0])).toMatchObject({
      service: 'call',
      unit: 'seconds',
      units: 45n,
      startedAtMs: Date.parse('2026-03-29T00:59:30Z'),
    });
    // 03:00 on 29 March is summer time already.
    expect(usageOf(records[1])).toMatchObject({
      service: 'data',
      unit: 'bytes',
      units: 2_048_000n,
      destination: '',
      startedAtMs: Date.parse('2026-03-29T01:00:00Z'),
    });
    expect(usageOf(records[2])).toMatchObject({ service: 'sms', direction: 'incoming', unit: 'messages' });
    expect(records[3]!.outcome).toEqual({
      kind: 'reject',
      reason: 'invalid_field',
      field: 'service',
      message: 'service "FAX" is not one of the values in serviceMap: "VOICE", "DATA", "SMS"',
      recordId: '104',
    });
  });

  it('reads a field with the delimiter, doubled quotes and line breaks, numbered by its first line', async () => {
    const text = `${HEADER}c-1,+4930111111,"+4930 ""main""\r\nline 2, still",call,2026-03-28T09:15:09Z,60,\r\nc-2,+4930111111,+4930222222,call,2026-03-28T09:20:00Z,30,\r\n`;
    const { records } = await readRecords(text, SWITCH_EXPORT);
    expect(records.map(outcomeSummary)).toEqual(['2 record', '4 record']);
    expect(usageOf(records[0]).destination).toBe('+4930 "main"\r\nline 2, still');
    expect(records[0]!.raw).toBe(
      'c-1,+4930111111,"+4930 ""main""\r\nline 2, still",call,2026-03-28T09:15:09Z,60,',
    );
  });

  it.each([
    [
      'c-9,,+4930222222,call,2026-03-28T09:15:09Z,60,',
      'missing_field subscriber',
      'subscriber (column "caller") is empty',
    ],
    [
      'c-9,+4930111111,+4930222222,call,,60,',
      'missing_field startedAt',
      'startedAt (column "answered_at") is empty',
    ],
    [
      'c-9,+4930111111,+4930222222,call,2026-13-01,60,',
      'invalid_field startedAt',
      'startedAt "2026-13-01" is not an ISO 8601 time such as 2026-03-29T14:05:00+02:00',
    ],
    [
      'c-9,+4930111111,+4930222222,Voice,2026-03-28T09:15:09Z,60,',
      'invalid_field service',
      'service "Voice" is not a service name',
    ],
    [
      'c-9,+4930111111,+4930222222,call,2026-03-28T09:15:09Z,-60,',
      'negative_usage units',
      'units "-60" is negative',
    ],
    [
      'c-9,+4930111111,+4930222222,sms,2026-03-28T09:15:09Z,1.5,',
      'invalid_field units',
      'units "1.5" is not a whole number of messages',
    ],
    [
      'c-9,+4930111111,+4930222222,call,2026-03-28T09:15:09Z,90000,',
      'impossible_usage units',
      "units 90000 seconds is longer than the source's limit of 86400 seconds",
    ],
    [
      'c-9,+4930111111,+4930222222,call,2026-03-28T09:15:09Z,',
      'malformed_record',
      'the record has 6 fields where the format has 7',
    ],
    [
      `${'x'.repeat(201)},+4930111111,+4930222222,call,2026-03-28T09:15:09Z,1,`,
      'invalid_field recordId',
      'is longer than 200 characters',
    ],
  ])('rejects %s', async (line, summary, message) => {
    const { records } = await readRecords(`${HEADER}${line}\n`, SWITCH_EXPORT);
    expect(records.map(outcomeSummary)).toEqual([`2 ${summary}`]);
    const { outcome } = records[0]!;
    expect(outcome.kind === 'reject' && outcome.message).toContain(message);
    if (!summary.includes('recordId') && summary !== 'malformed_record')
      expect(outcome).toMatchObject({ recordId: 'c-9' });
  });

  it('reads an empty optional cell as the default', async () => {
    const { records } = await readRecords(
      `${HEADER},+4930111111,,,2026-03-28T09:15:09Z,60,\n`,
      SWITCH_EXPORT,
    );
    expect(usageOf(records[0])).toMatchObject({
      recordId: null,
      service: 'call',
      destination: '',
      chargingSessionKey: null,
    });
  });

  it('rejects every record when the header lacks a mapped column', async () => {
    const text =
      'id,caller,callee,service,answered_at,units,session\nc-1,+4930111111,+4930222222,call,2026-03-28T09:15:09Z,60,\n';
    const { records } = await readRecords(text, SWITCH_EXPORT);
    expect(records[0]!.outcome).toEqual({
      kind: 'reject',
      reason: 'missing_field',
      field: 'recordId',
      message: 'the header has no column "call_id" (mapped to recordId)',
      recordId: null,
    });
  });

  it('rejects every record when a column position lies beyond the header', async () => {
    const profile = profileOf({
      format: 'csv',
      csv: { header: true, columns: { subscriber: 'caller', startedAt: 'answered_at', units: 9 } },
    });
    const { records } = await readRecords(
      `${HEADER}c-1,+4930111111,,call,2026-03-28T09:15:09Z,60,\n`,
      profile,
    );
    expect(records[0]!.outcome).toMatchObject({
      reason: 'missing_field',
      field: 'units',
      message: "column 9 (mapped to units) is beyond the header's 7 columns",
    });
  });

  it('rounds milliseconds up to whole seconds, and refuses a scale that does not fit the service', async () => {
    const profile = profileOf({
      format: 'csv',
      csv: {
        columns: { subscriber: 1, service: 2, startedAt: 3, units: 4 },
        timeFormat: 'epoch_seconds',
        unitsScale: 'milliseconds',
      },
    });
    const { records } = await readRecords(
      '+4930111111,call,1774689309,60001\n+4930111111,sms,1774689309,1\n',
      profile,
    );
    expect(usageOf(records[0])).toMatchObject({
      units: 61n,
      startedAtMs: Date.parse('2026-03-28T09:15:09Z'),
    });
    expect(records[1]!.outcome).toMatchObject({
      reason: 'invalid_field',
      field: 'service',
      message: 'service sms counts messages, but the source reads its units column as milliseconds',
    });
  });

  it('counts a custom service in the unit the source gives it', async () => {
    const profile = profileOf({
      format: 'csv',
      services: { iot_data: 'bytes' },
      csv: {
        delimiter: '\t',
        quote: '',
        columns: { subscriber: 1, service: 2, startedAt: 3, units: 4 },
        unitsScale: 'kilobytes',
      },
    });
    const { records } = await readRecords('+4930111111\tiot_data\t2026-03-28T09:15:09Z\t12\n', profile);
    expect(usageOf(records[0])).toMatchObject({ service: 'iot_data', unit: 'bytes', units: 12_000n });
  });
});
