import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { UsageEventSchema, usageEventOutcome } from '../../../src/mediation/formats/usage-event.js';
import { outcomeSummary, profileOf, readSample, usageOf } from './read-records.js';

const JSONL = profileOf({ format: 'jsonl', timeZone: 'Europe/Berlin' });

describe('JSON Lines of usage events', () => {
  it('reads each line as one event', async () => {
    const { records } = await readSample('usage-events.jsonl', JSONL);
    expect(records.map(outcomeSummary)).toEqual([
      '1 record',
      '2 record',
      '4 record',
      '5 negative_usage units',
      '6 invalid_field colour',
      '7 malformed_record',
    ]);
    expect(usageOf(records[0])).toEqual({
      recordId: 'ev-1',
      subscriber: { kind: 'msisdn', value: '+4930111111' },
      service: 'call',
      direction: 'outgoing',
      destination: '+4930222222',
      startedAtMs: Date.parse('2026-03-28T09:15:09Z'),
      unit: 'seconds',
      units: 125n,
      chargingSessionKey: null,
    });
    expect(usageOf(records[1])).toMatchObject({
      subscriber: { kind: 'imsi', value: '262011234567890' },
      unit: 'bytes',
      units: 18_446_744_073_709n,
    });
    // No offset: Berlin time.
    expect(usageOf(records[2])).toMatchObject({
      direction: 'incoming',
      unit: 'messages',
      startedAtMs: Date.parse('2026-03-28T11:00:00Z'),
      chargingSessionKey: 'ccr-99',
    });
    expect(records[4]!.outcome).toMatchObject({ message: 'unknown properties: "colour"', recordId: 'ev-5' });
    expect(records[5]!.outcome).toMatchObject({ field: null, recordId: null });
  });
});

describe('usageEventOutcome', () => {
  const event = {
    id: 'e-1',
    subscriber: '+4930111111',
    service: 'call',
    startedAt: '2026-03-28T09:15:09Z',
    units: 60,
  };

  it.each([
    [[1, 2], 'malformed_record', null, 'a usage event is a JSON object, not an array'],
    [{ ...event, id: undefined }, 'missing_field', 'id', 'id is missing'],
    [{ ...event, id: 7 }, 'invalid_field', 'id', 'id is a number, not a string'],
    [
      { ...event, subscriber: { kind: 'phone', value: '1' } },
      'invalid_field',
      'subscriber.kind',
      'subscriber.kind is not one of',
    ],
    [{ ...event, service: 'Voice' }, 'invalid_field', 'service', 'service "Voice" is not a service name'],
    [
      { ...event, direction: 'up' },
      'invalid_field',
      'direction',
      'direction "up" is not outgoing or incoming',
    ],
    [
      { ...event, startedAt: '28.03.2026' },
      'invalid_field',
      'startedAt',
      'startedAt "28.03.2026" is not an ISO 8601 time',
    ],
    [{ ...event, units: 1.5 }, 'invalid_field', 'units', 'units 1.5 is not a whole number'],
    [{ ...event, units: 2 ** 60 }, 'invalid_field', 'units', 'write it as a string of digits'],
    [{ ...event, units: '-4' }, 'negative_usage', 'units', 'units "-4" is negative'],
    [{ ...event, units: '99999999999999999999' }, 'impossible_usage', 'units', 'the most a record can hold'],
    [
      { ...event, unit: 'bytes' },
      'invalid_field',
      'unit',
      'unit bytes is not the unit of service call, which counts seconds',
    ],
    [
      { ...event, units: 86_401 },
      'impossible_usage',
      'units',
      "longer than the source's limit of 86400 seconds",
    ],
  ])('rejects %j', (value, reason, field, message) => {
    const outcome = usageEventOutcome(value, JSONL);
    expect(outcome).toMatchObject({ kind: 'reject', reason, field });
    expect(outcome.kind === 'reject' && outcome.message).toContain(message);
  });

  it('accepts what the schema accepts', () => {
    const full = {
      ...event,
      subscriber: { kind: 'sip_uri', value: 'sip:alice@example.com' },
      direction: 'incoming',
      destination: '+4930222222',
      units: '12',
      unit: 'seconds',
      chargingSession: 's-1',
    };
    for (const value of [event, full]) {
      expect(Value.Check(UsageEventSchema, value)).toBe(true);
      expect(usageEventOutcome(value, JSONL).kind).toBe('record');
    }
  });
});
