import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { resolveSourceProfile, SourceProfileSchema } from '../../../src/mediation/formats/source-profile.js';

const SWITCH_CSV = {
  format: 'csv',
  timeZone: 'Europe/Berlin',
  csv: {
    header: true,
    columns: { recordId: 'call_id', subscriber: 'caller', startedAt: 'answered_at', units: 'units' },
  },
};

describe('resolveSourceProfile', () => {
  it('fills in every default', () => {
    expect(resolveSourceProfile({ format: 'jsonl' })).toEqual({
      ok: true,
      profile: {
        format: 'jsonl',
        timeZone: 'UTC',
        subscriberKind: 'msisdn',
        maxRecordBytes: 65_536,
        maxDurationSeconds: 86_400,
        services: {},
      },
    });
    const csv = resolveSourceProfile(SWITCH_CSV);
    expect(csv.ok && csv.profile.format === 'csv' && csv.profile.csv).toEqual({
      delimiter: ',',
      quote: '"',
      header: true,
      columns: SWITCH_CSV.csv.columns,
      service: 'call',
      timeFormat: 'iso8601',
    });
  });

  it('leaves the given value as it was, and reads its own result the same again', () => {
    const given = structuredClone(SWITCH_CSV);
    const first = resolveSourceProfile(given);
    expect(given).toEqual(SWITCH_CSV);
    if (!first.ok) throw new Error(first.message);
    // Stored as jsonb and read back: the same profile.
    expect(resolveSourceProfile(JSON.parse(JSON.stringify(first.profile)))).toEqual(first);
    expect(Value.Check(SourceProfileSchema, first.profile)).toBe(true);
  });

  it('keeps csv only for format csv, and the Asterisk columns only for asterisk', () => {
    const freeswitch = resolveSourceProfile({ ...SWITCH_CSV, format: 'freeswitch' });
    expect(freeswitch.ok && 'csv' in freeswitch.profile).toBe(false);
    const asterisk = resolveSourceProfile({ format: 'asterisk', asterisk: { userField: true } });
    expect(asterisk.ok && asterisk.profile.format === 'asterisk' && asterisk.profile.asterisk).toEqual({
      userField: true,
    });
  });

  it.each([
    [{ format: 'xml' }, 'format: expected one of csv, asterisk, freeswitch, jsonl, got "xml"'],
    [{ format: 'jsonl', timeZone: 'Mars/Olympus' }, 'timeZone: "Mars/Olympus" is not an IANA time zone'],
    [
      { format: 'jsonl', maxRecordBytes: 10 },
      'maxRecordBytes: expected integer to be greater or equal to 256, got 10',
    ],
    [{ format: 'jsonl', services: { VOICE: 'seconds' } }, 'services.VOICE: unexpected property'],
    [
      { format: 'jsonl', services: { fax: 'pages' } },
      'services.fax: expected one of seconds, bytes, messages, units',
    ],
    [{ format: 'jsonl', colour: 'blue' }, 'colour: unexpected property'],
    [{ format: 'csv' }, 'csv: required when format is csv'],
    [{ format: 'csv', csv: { columns: { subscriber: 1, startedAt: 2 } } }, 'csv.columns.units: required'],
    [
      { format: 'csv', csv: { columns: { subscriber: 0, startedAt: 2, units: 3 } } },
      'csv.columns.subscriber: expected a string or an integer from 1 to 1024, got 0',
    ],
    [
      { format: 'csv', csv: { columns: { subscriber: 'caller', startedAt: 2, units: 3 } } },
      'csv.columns.subscriber: "caller" names a column, which needs a header line (csv.header true)',
    ],
    [
      {
        format: 'csv',
        csv: { delimiter: ';', quote: ';', columns: { subscriber: 1, startedAt: 2, units: 3 } },
      },
      'csv.quote: the quote ";" is also the delimiter',
    ],
    [
      { format: 'csv', csv: { delimiter: '\n', columns: { subscriber: 1, startedAt: 2, units: 3 } } },
      'csv.delimiter: expected string to match',
    ],
    [
      {
        format: 'csv',
        csv: {
          service: 'sms',
          unitsScale: 'milliseconds',
          columns: { subscriber: 1, startedAt: 2, units: 3 },
        },
      },
      'csv.unitsScale: milliseconds does not measure service sms, which counts messages',
    ],
    [
      {
        format: 'csv',
        csv: { serviceMap: { VOICE: 'Call' }, columns: { subscriber: 1, startedAt: 2, units: 3 } },
      },
      'csv.serviceMap.VOICE: expected string to match',
    ],
    [null, 'profile: expected object, got null'],
  ])('refuses %j naming the setting', (input, message) => {
    const resolved = resolveSourceProfile(input);
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.message).toContain(message);
  });

  it('documents every setting for the API', () => {
    const undocumented: string[] = [];
    const visit = (schema: Record<string, unknown>, path: string) => {
      const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (typeof property.description !== 'string') undocumented.push(`${path}${name}`);
        visit(property, `${path}${name}.`);
      }
    };
    visit(SourceProfileSchema as unknown as Record<string, unknown>, '');
    expect(undocumented).toEqual([]);
  });
});
