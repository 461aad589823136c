import { Type } from '@sinclair/typebox';
import type { IdentifierKind } from '../../accounts/account-tables.js';
import { IDENTIFIER_KINDS, IdentifierKindSchema } from '../../accounts/subscription-schemas.js';
import type { RecordOutcome, UsageRecord, UsageUnit } from '../usage-record.js';
import {
  checkedUsageRecord,
  MAX_IDENTIFIER_CHARS,
  MAX_RECORD_ID_CHARS,
  type UsageFieldNames,
} from './checked-usage-record.js';
import { quotedValue, rejectOutcome } from './reject-outcome.js';
import type { SourceProfile } from './source-profile.js';
import { readSourceTime } from './source-time.js';
import { readUsageUnits } from './usage-quantity.js';
import { isServiceName, ServiceNameSchema, USAGE_UNITS, unitOfService } from './usage-service.js';
import { zoneClockOf } from './zone-clock-of.js';

/**
 * The native usage event: a line of a JSON Lines file, and an element of `POST /v1/usage`. The
 * schema documents it and lets the API refuse a malformed request whole; usageEventOutcome reads
 * one event by the same rules, giving each problem its reject reason.
 */
export const UsageEventSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: MAX_RECORD_ID_CHARS,
      description: "The event's unique id at its source: its natural key, so a resent event is counted once",
    }),
    subscriber: Type.Union(
      [
        Type.String({
          minLength: 1,
          maxLength: MAX_IDENTIFIER_CHARS,
          description:
            "An identifier of the source's subscriber kind (an MSISDN unless the source says otherwise)",
        }),
        Type.Object(
          {
            kind: IdentifierKindSchema,
            value: Type.String({ minLength: 1, maxLength: MAX_IDENTIFIER_CHARS }),
          },
          { additionalProperties: false, description: 'An identifier of the given kind' },
        ),
      ],
      { description: 'Who is charged' },
    ),
    service: ServiceNameSchema,
    direction: Type.Optional(
      Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')], {
        default: 'outgoing',
        description: 'outgoing (default) or incoming',
      }),
    ),
    destination: Type.Optional(
      Type.String({
        maxLength: MAX_IDENTIFIER_CHARS,
        default: '',
        description: 'The other party (a number) or the network (an APN); default empty',
      }),
    ),
    startedAt: Type.String({
      maxLength: 64,
      pattern:
        '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?$',
      description:
        "When the usage started, ISO 8601 with Z or an offset, e.g. 2026-03-29T14:05:00+02:00; without one it is in the source's time zone",
    }),
    units: Type.Union(
      [
        Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
        Type.String({ pattern: '^[0-9]{1,19}$', description: 'for counts beyond 2^53 (large byte volumes)' }),
      ],
      {
        description:
          "Whole units used, in the service's unit (call seconds, sms messages, data bytes): a number, or decimal digits as a string",
      },
    ),
    unit: Type.Optional(
      Type.Union(
        USAGE_UNITS.map((unit) => Type.Literal(unit)),
        {
          description:
            "The unit of units (seconds, bytes, messages, units); when given it must be the service's unit",
        },
      ),
    ),
    chargingSession: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_IDENTIFIER_CHARS,
        description: 'The online charging session that already charged this usage, if any',
      }),
    ),
  },
  { additionalProperties: false, description: 'One usage event' },
);

/** What an event is read with from its source: the source profile, or these parts of it. */
export type UsageEventDefaults = Pick<
  SourceProfile,
  'timeZone' | 'subscriberKind' | 'services' | 'maxDurationSeconds'
>;

const EVENT_PROPERTIES: ReadonlySet<string> = new Set(Object.keys(UsageEventSchema.properties));
const FIELD_NAMES: UsageFieldNames = {
  recordId: 'id',
  subscriber: 'subscriber',
  destination: 'destination',
  units: 'units',
  chargingSession: 'chargingSession',
};
/** Digits, or a minus and digits, which is negative usage rather than a malformed count. */
const SIGNED_DIGITS = /^-?\d+$/;

type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly outcome: RecordOutcome };

/**
 * Reads one usage event (parsed JSON) into a record, or the reason it cannot be one. The checks
 * follow UsageEventSchema, in order, so the first problem is the one reported.
 */
export function usageEventOutcome(value: unknown, defaults: UsageEventDefaults): RecordOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return rejectOutcome(
      'malformed_record',
      null,
      `a usage event is a JSON object, not ${jsonKind(value)}`,
      null,
    );
  const event = value as Record<string, unknown>;
  const id =
    typeof event.id === 'string' && event.id.length > 0 && event.id.length <= MAX_RECORD_ID_CHARS
      ? event.id
      : null;
  const unknown = Object.keys(event).filter((key) => !EVENT_PROPERTIES.has(key));
  if (unknown.length > 0)
    return rejectOutcome(
      'invalid_field',
      unknown[0]!,
      `unknown properties: ${unknown.slice(0, 5).map(quotedValue).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
      id,
    );
  const reject = (
    reason: 'missing_field' | 'invalid_field',
    field: string,
    message: string,
  ): Read<never> => ({
    ok: false,
    outcome: rejectOutcome(reason, field, message, id),
  });
  const checkedId = readString(event, 'id', MAX_RECORD_ID_CHARS, reject);
  if (!checkedId.ok) return checkedId.outcome;
  const subscriber = readSubscriber(event.subscriber, defaults.subscriberKind, reject);
  if (!subscriber.ok) return subscriber.outcome;
  const service = readService(event.service, reject);
  if (!service.ok) return service.outcome;
  const direction = readDirection(event.direction, reject);
  if (!direction.ok) return direction.outcome;
  const destination =
    event.destination === undefined || event.destination === ''
      ? ok('')
      : readString(event, 'destination', MAX_IDENTIFIER_CHARS, reject);
  if (!destination.ok) return destination.outcome;
  const startedAtMs = readStartedAt(event.startedAt, defaults.timeZone, reject);
  if (!startedAtMs.ok) return startedAtMs.outcome;
  const unit = unitOfService(defaults.services, service.value);
  const declared = readDeclaredUnit(event.unit, unit, service.value, reject);
  if (!declared.ok) return declared.outcome;
  const units = readUnits(event.units, checkedId.value);
  if (!units.ok) return units.outcome;
  const session =
    event.chargingSession === undefined
      ? ok(null)
      : readString(event, 'chargingSession', MAX_IDENTIFIER_CHARS, reject);
  if (!session.ok) return session.outcome;
  const record: UsageRecord = {
    recordId: checkedId.value,
    subscriber: subscriber.value,
    service: service.value,
    direction: direction.value,
    destination: destination.value,
    startedAtMs: startedAtMs.value,
    unit,
    units: units.value,
    chargingSessionKey: session.value,
  };
  return checkedUsageRecord(record, defaults, FIELD_NAMES);
}

type Reject = (reason: 'missing_field' | 'invalid_field', field: string, message: string) => Read<never>;

/** A non-empty string of at most maxLength characters. */
function readString(
  event: Record<string, unknown>,
  field: string,
  maxLength: number,
  reject: Reject,
): Read<string> {
  const value = event[field];
  if (value === undefined || value === null || value === '')
    return reject('missing_field', field, `${field} is missing`);
  if (typeof value !== 'string')
    return reject('invalid_field', field, `${field} is ${jsonKind(value)}, not a string`);
  if (value.length > maxLength)
    return reject(
      'invalid_field',
      field,
      `${field} ${quotedValue(value)} is longer than ${maxLength} characters`,
    );
  return ok(value);
}

function readSubscriber(
  value: unknown,
  defaultKind: IdentifierKind,
  reject: Reject,
): Read<{ kind: IdentifierKind; value: string }> {
  if (value === undefined || value === null || value === '')
    return reject('missing_field', 'subscriber', 'subscriber is missing');
  if (typeof value === 'string') {
    if (value.length > MAX_IDENTIFIER_CHARS)
      return reject(
        'invalid_field',
        'subscriber',
        `subscriber ${quotedValue(value)} is longer than ${MAX_IDENTIFIER_CHARS} characters`,
      );
    return ok({ kind: defaultKind, value });
  }
  if (typeof value !== 'object' || Array.isArray(value))
    return reject(
      'invalid_field',
      'subscriber',
      `subscriber is ${jsonKind(value)}, not a string or {kind, value}`,
    );
  const identifier = value as Record<string, unknown>;
  const extra = Object.keys(identifier).find((key) => key !== 'kind' && key !== 'value');
  if (extra !== undefined)
    return reject('invalid_field', 'subscriber', `subscriber has an unknown property ${quotedValue(extra)}`);
  const kind = identifier.kind;
  if (typeof kind !== 'string' || !(IDENTIFIER_KINDS as readonly string[]).includes(kind))
    return reject(
      'invalid_field',
      'subscriber.kind',
      `subscriber.kind is not one of ${IDENTIFIER_KINDS.join(', ')}`,
    );
  const text = identifier.value;
  if (typeof text !== 'string' || text === '')
    return reject('missing_field', 'subscriber.value', 'subscriber.value is missing');
  if (text.length > MAX_IDENTIFIER_CHARS)
    return reject(
      'invalid_field',
      'subscriber.value',
      `subscriber.value is longer than ${MAX_IDENTIFIER_CHARS} characters`,
    );
  return ok({ kind: kind as IdentifierKind, value: text });
}

function readService(value: unknown, reject: Reject): Read<string> {
  if (value === undefined || value === null || value === '')
    return reject('missing_field', 'service', 'service is missing');
  if (typeof value !== 'string' || !isServiceName(value))
    return reject(
      'invalid_field',
      'service',
      `service ${typeof value === 'string' ? quotedValue(value) : jsonKind(value)} is not a service name: lower-case letters, digits, _ and -, at most 64`,
    );
  return ok(value);
}

function readDirection(value: unknown, reject: Reject): Read<'outgoing' | 'incoming'> {
  if (value === undefined) return ok('outgoing');
  if (value === 'outgoing' || value === 'incoming') return ok(value);
  return reject('invalid_field', 'direction', `direction ${shown(value)} is not outgoing or incoming`);
}

function readStartedAt(value: unknown, timeZone: string, reject: Reject): Read<number> {
  if (value === undefined || value === null || value === '')
    return reject('missing_field', 'startedAt', 'startedAt is missing');
  if (typeof value !== 'string')
    return reject('invalid_field', 'startedAt', `startedAt is ${jsonKind(value)}, not a string`);
  const time = readSourceTime(value, 'iso8601', zoneClockOf(timeZone));
  if (!time.ok)
    return reject('invalid_field', 'startedAt', `startedAt ${quotedValue(value)} is not ${time.expected}`);
  return ok(time.epochMs);
}

function readDeclaredUnit(value: unknown, unit: UsageUnit, service: string, reject: Reject): Read<null> {
  if (value === undefined) return ok(null);
  if (typeof value !== 'string' || !(USAGE_UNITS as readonly string[]).includes(value))
    return reject('invalid_field', 'unit', `unit ${shown(value)} is not one of ${USAGE_UNITS.join(', ')}`);
  if (value !== unit)
    return reject(
      'invalid_field',
      'unit',
      `unit ${value} is not the unit of service ${service}, which counts ${unit}`,
    );
  return ok(null);
}

/** A JSON number must be a safe integer (a larger one has already lost digits); digits as a string may go to int8. */
function readUnits(value: unknown, id: string): Read<bigint> {
  const reject = (
    reason: 'missing_field' | 'invalid_field' | 'negative_usage' | 'impossible_usage',
    message: string,
  ) => ({
    ok: false as const,
    outcome: rejectOutcome(reason, 'units', message, id),
  });
  if (value === undefined || value === null || value === '')
    return reject('missing_field', 'units is missing');
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value))
      return reject('invalid_field', `units ${value} is not a whole number`);
    if (value < 0) return reject('negative_usage', `units ${value} is negative`);
    if (!Number.isSafeInteger(value))
      return reject(
        'invalid_field',
        `units ${value} is beyond 2^53 as a JSON number; write it as a string of digits`,
      );
    return ok(BigInt(value));
  }
  if (typeof value !== 'string') return reject('invalid_field', `units is ${jsonKind(value)}, not a number`);
  if (!SIGNED_DIGITS.test(value))
    return reject('invalid_field', `units ${quotedValue(value)} is not a string of decimal digits`);
  const units = readUsageUnits(value, 'units');
  if (!units.ok) return reject(units.reason, `units ${quotedValue(value)} ${units.problem}`);
  return ok(units.value);
}

function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? quotedValue(value) : jsonKind(value);
}
