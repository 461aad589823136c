import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { ZoneClock } from '@tollgate/core';
import type { IdentifierKind } from '../../accounts/account-tables.js';
import { IDENTIFIER_KINDS } from '../../accounts/subscription-schemas.js';
import type { UsageUnit } from '../usage-record.js';
import { unitOfScale } from './usage-quantity.js';
import { ServiceNameSchema, UsageUnitSchema, unitOfService } from './usage-service.js';

/**
 * How a usage source writes its records: stored with the source (jsonb) and accepted by the API.
 * SourceProfileSchema is what a client may send (defaults left out); SourceProfile is what
 * resolveSourceProfile makes of it, every default filled in, and what the readers take.
 */

export const SOURCE_FORMATS = ['csv', 'asterisk', 'freeswitch', 'jsonl'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const TIME_FORMATS = ['iso8601', 'local', 'epoch_seconds', 'epoch_milliseconds'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const UNITS_SCALES = ['seconds', 'milliseconds', 'bytes', 'kilobytes', 'messages', 'units'] as const;
export type UnitsScale = (typeof UNITS_SCALES)[number];

export const CSV_FIELDS = [
  'recordId',
  'subscriber',
  'destination',
  'service',
  'direction',
  'startedAt',
  'units',
  'chargingSession',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** A column by its header name, or by its 1-based position. */
export type ColumnReference = string | number;

export const DEFAULT_MAX_RECORD_BYTES = 65_536;
export const DEFAULT_MAX_DURATION_SECONDS = 86_400;
/** Wide enough for any CDR; narrow enough that a batch of records stays a bounded amount of memory. */
const MAX_RECORD_BYTES_LIMIT = 1_048_576;
/** 31 days: a longer record is a clock fault or a session never closed, whatever the source. */
const MAX_DURATION_SECONDS_LIMIT = 2_678_400;
/** Column positions beyond this are a typing error, not a file (Asterisk writes 21 at most). */
const MAX_COLUMN_POSITION = 1_024;
/** Bounds on the maps, so a stored profile and the per-record lookups stay small. */
const MAX_MAP_ENTRIES = 256;

const literals = <T extends string>(values: readonly T[], options: { description: string; default?: T }) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  );

const ColumnReferenceSchema = (description: string) =>
  Type.Union(
    [
      Type.String({ minLength: 1, maxLength: 200, description: 'the column named so in the header line' }),
      Type.Integer({
        minimum: 1,
        maximum: MAX_COLUMN_POSITION,
        description: 'the column at this 1-based position',
      }),
    ],
    { description },
  );

const DirectionSchema = literals(['outgoing', 'incoming'] as const, {
  description: 'outgoing (the subscriber originated the usage) or incoming',
});

export const CsvColumnsSchema = Type.Object(
  {
    recordId: Type.Optional(
      ColumnReferenceSchema(
        "the source's unique id of the record; without it the record's content is its key",
      ),
    ),
    subscriber: ColumnReferenceSchema('who is charged: an identifier of the kind subscriberKind'),
    destination: Type.Optional(ColumnReferenceSchema('the other party or network (APN); empty when absent')),
    service: Type.Optional(
      ColumnReferenceSchema('the service of the record; absent (or an empty cell): csv.service'),
    ),
    direction: Type.Optional(
      ColumnReferenceSchema('the direction of the record; absent (or an empty cell): outgoing'),
    ),
    startedAt: ColumnReferenceSchema(
      'when the usage started (a call: its answer time), read by csv.timeFormat',
    ),
    units: ColumnReferenceSchema('how much was used, read by csv.unitsScale'),
    chargingSession: Type.Optional(
      ColumnReferenceSchema('the online charging session that already charged the record, if any'),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Where each field of a usage record is: a header name (csv.header true) or a 1-based column position',
  },
);

export const CsvSettingsSchema = Type.Object(
  {
    delimiter: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1,
        pattern: '^[\\t\\x20-\\x7e]$',
        default: ',',
        description: 'The field delimiter: one ASCII character such as , ; | or a tab (default ,)',
      }),
    ),
    quote: Type.Optional(
      Type.String({
        minLength: 0,
        maxLength: 1,
        pattern: '^[\\x21-\\x7e]?$',
        default: '"',
        description:
          'The quote character around fields that hold the delimiter or line breaks; "" for none (default ")',
      }),
    ),
    header: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Whether the first line names the columns (it is not a record); needed to map columns by name',
      }),
    ),
    columns: CsvColumnsSchema,
    service: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[a-z0-9_-]{1,64}$',
        default: 'call',
        description: 'The service of every record when no service column is mapped (default call)',
      }),
    ),
    serviceMap: Type.Optional(
      Type.Record(Type.String({ pattern: '^.{1,64}$' }), ServiceNameSchema, {
        additionalProperties: false,
        maxProperties: MAX_MAP_ENTRIES,
        description:
          'The file\'s service values and the services they are, e.g. {"VOICE":"call"}; when given, other values are rejected',
      }),
    ),
    directionMap: Type.Optional(
      Type.Record(Type.String({ pattern: '^.{1,64}$' }), DirectionSchema, {
        additionalProperties: false,
        maxProperties: MAX_MAP_ENTRIES,
        description:
          'The file\'s direction values and the directions they are, e.g. {"MO":"outgoing","MT":"incoming"}; without it the column holds outgoing or incoming',
      }),
    ),
    timeFormat: Type.Optional(
      literals(TIME_FORMATS, {
        default: 'iso8601',
        description:
          'How startedAt is written: iso8601 (an offset-less time is in timeZone), local (YYYY-MM-DD HH:MM:SS in timeZone), epoch_seconds or epoch_milliseconds (default iso8601)',
      }),
    ),
    unitsScale: Type.Optional(
      literals(UNITS_SCALES, {
        description:
          "How the units column reads: seconds, milliseconds (rounded up to whole seconds), bytes, kilobytes (1000 bytes), messages or units; default the service's own unit",
      }),
    ),
  },
  { additionalProperties: false, description: 'How a CSV file reads (format csv)' },
);

export const AsteriskSettingsSchema = Type.Object(
  {
    uniqueId: Type.Optional(
      Type.Boolean({ description: 'cdr.conf [csv] loguniqueid: the uniqueid column follows amaflags' }),
    ),
    userField: Type.Optional(
      Type.Boolean({
        description: 'cdr.conf [csv] loguserfield: the userfield column follows (uniqueid and) amaflags',
      }),
    ),
    newCdrColumns: Type.Optional(
      Type.Boolean({
        description: 'cdr.conf [csv] newcdrcolumns: peeraccount, linkedid and sequence come last',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Which optional columns the switch's cdr_csv writes; a setting left out is told by each record's column count (17 or 20 columns are taken to hold uniqueid, not userfield)",
  },
);

export const SourceProfileSchema = Type.Object(
  {
    format: literals(SOURCE_FORMATS, {
      description:
        'csv (columns mapped by csv), asterisk (cdr_csv Master.csv), freeswitch (mod_cdr_csv default template) or jsonl (one usage event per line)',
    }),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        default: 'UTC',
        description: 'IANA time zone of times written without an offset, e.g. Europe/Berlin (default UTC)',
      }),
    ),
    subscriberKind: Type.Optional(
      literals(IDENTIFIER_KINDS, {
        default: 'msisdn',
        description: 'The kind of identifier the subscriber field holds (default msisdn)',
      }),
    ),
    maxRecordBytes: Type.Optional(
      Type.Integer({
        minimum: 256,
        maximum: MAX_RECORD_BYTES_LIMIT,
        default: DEFAULT_MAX_RECORD_BYTES,
        description: 'A longer record is rejected as record_too_large (default 65536)',
      }),
    ),
    maxDurationSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_DURATION_SECONDS_LIMIT,
        default: DEFAULT_MAX_DURATION_SECONDS,
        description: 'A record of more seconds is rejected as impossible_usage (default 86400)',
      }),
    ),
    services: Type.Optional(
      Type.Record(ServiceNameSchema, UsageUnitSchema, {
        additionalProperties: false,
        maxProperties: MAX_MAP_ENTRIES,
        description:
          'The unit of each service, where it differs from the usual: call seconds, sms and mms messages, data bytes, any other units',
      }),
    ),
    csv: Type.Optional(CsvSettingsSchema),
    asterisk: Type.Optional(AsteriskSettingsSchema),
  },
  {
    additionalProperties: false,
    description:
      'How a usage source writes its records. csv is required for format csv and ignored otherwise.',
  },
);
export type SourceProfileInput = Static<typeof SourceProfileSchema>;

export type CsvColumns = { readonly [F in CsvField]?: ColumnReference } & {
  readonly subscriber: ColumnReference;
  readonly startedAt: ColumnReference;
  readonly units: ColumnReference;
};

export interface CsvSettings {
  readonly delimiter: string;
  /** '' when the file quotes nothing. */
  readonly quote: string;
  readonly header: boolean;
  readonly columns: CsvColumns;
  readonly service: string;
  readonly serviceMap?: Readonly<Record<string, string>>;
  readonly directionMap?: Readonly<Record<string, 'outgoing' | 'incoming'>>;
  readonly timeFormat: TimeFormat;
  readonly unitsScale?: UnitsScale;
}

export interface AsteriskSettings {
  readonly uniqueId?: boolean;
  readonly userField?: boolean;
  readonly newCdrColumns?: boolean;
}

interface CommonProfile {
  readonly timeZone: string;
  readonly subscriberKind: IdentifierKind;
  readonly maxRecordBytes: number;
  readonly maxDurationSeconds: number;
  /** Units of services that differ from the usual ones (see unitOfService). */
  readonly services: Readonly<Record<string, UsageUnit>>;
}

export interface CsvSourceProfile extends CommonProfile {
  readonly format: 'csv';
  readonly csv: CsvSettings;
}

export interface AsteriskSourceProfile extends CommonProfile {
  readonly format: 'asterisk';
  readonly asterisk: AsteriskSettings;
}

export interface PlainSourceProfile extends CommonProfile {
  readonly format: 'freeswitch' | 'jsonl';
}

export type SourceProfile = CsvSourceProfile | AsteriskSourceProfile | PlainSourceProfile;

export type ResolvedSourceProfile =
  | { readonly ok: true; readonly profile: SourceProfile }
  | { readonly ok: false; readonly message: string };

/**
 * Checks a profile as a client or a stored row gives it and fills in its defaults. The message
 * names the first failing setting by its path (`csv.columns.subscriber: ...`).
 */
export function resolveSourceProfile(raw: unknown): ResolvedSourceProfile {
  // Value.Default fills defaults in place: work on a copy, the caller's value stays as it was.
  const filled = Value.Default(SourceProfileSchema, Value.Clone(raw));
  const firstError = Value.Errors(SourceProfileSchema, filled).First();
  if (firstError !== undefined) return { ok: false, message: describeError(firstError) };
  const input = filled as Required<Pick<SourceProfileInput, 'timeZone' | 'subscriberKind'>> &
    SourceProfileInput;
  if (!ZoneClock.isValidTimeZone(input.timeZone))
    return {
      ok: false,
      message: `timeZone: "${input.timeZone}" is not an IANA time zone such as Europe/Berlin`,
    };
  const common: CommonProfile = {
    timeZone: input.timeZone,
    subscriberKind: input.subscriberKind,
    maxRecordBytes: input.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    maxDurationSeconds: input.maxDurationSeconds ?? DEFAULT_MAX_DURATION_SECONDS,
    services: input.services ?? {},
  };
  switch (input.format) {
    case 'csv': {
      if (input.csv === undefined) return { ok: false, message: 'csv: required when format is csv' };
      const csv = input.csv as CsvSettings;
      const problem = csvProblem(csv, common.services);
      if (problem !== null) return { ok: false, message: problem };
      return { ok: true, profile: { ...common, format: 'csv', csv } };
    }
    case 'asterisk':
      return { ok: true, profile: { ...common, format: 'asterisk', asterisk: input.asterisk ?? {} } };
    case 'freeswitch':
    case 'jsonl':
      return { ok: true, profile: { ...common, format: input.format } };
  }
}

/** What the schema cannot say about CSV settings: the checks that span several of them. */
function csvProblem(csv: CsvSettings, services: Readonly<Record<string, UsageUnit>>): string | null {
  if (csv.delimiter === csv.quote)
    return `csv.quote: the quote ${JSON.stringify(csv.quote)} is also the delimiter`;
  if (!csv.header)
    for (const field of CSV_FIELDS) {
      const column = csv.columns[field];
      if (typeof column === 'string')
        return `csv.columns.${field}: "${column}" names a column, which needs a header line (csv.header true)`;
    }
  // Without a service column every record has the fixed service, so its unit is known now.
  if (csv.columns.service === undefined && csv.unitsScale !== undefined) {
    const unit = unitOfService(services, csv.service);
    if (unitOfScale(csv.unitsScale) !== unit)
      return `csv.unitsScale: ${csv.unitsScale} does not measure service ${csv.service}, which counts ${unit}`;
  }
  return null;
}

function describeError(error: ValueError): string {
  const path = error.path === '' ? 'profile' : error.path.slice(1).replaceAll('/', '.');
  if (error.value === undefined) return `${path}: required`;
  const choices = unionChoices(error.schema);
  const expected = choices === null ? error.message.toLowerCase() : `expected ${choices}`;
  return `${path}: ${expected}, got ${shownValue(error.value)}`;
}

/** What a union accepts, for a message better than "Expected union value". */
function unionChoices(schema: TSchema): string | null {
  const anyOf = (schema as { anyOf?: readonly TSchema[] }).anyOf;
  if (anyOf === undefined) return null;
  const values = anyOf.map((member) => (member as { const?: unknown }).const);
  if (values.every((value) => typeof value === 'string')) return `one of ${values.join(', ')}`;
  return anyOf.map(describeMember).join(' or ');
}

function describeMember(member: TSchema): string {
  const { type, minimum, maximum } = member as { type?: string; minimum?: number; maximum?: number };
  if (type === 'integer' && minimum !== undefined && maximum !== undefined)
    return `an integer from ${minimum} to ${maximum}`;
  return type === 'integer' ? 'an integer' : `a ${type ?? 'value'}`;
}

function shownValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
