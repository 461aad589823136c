import { type Static, Type } from '@sinclair/typebox';
import { SourceProfileSchema } from './formats/source-profile.js';
import { UsageEventSchema } from './formats/usage-event.js';
import { MAX_USAGE_EVENTS_PER_REQUEST } from './record-usage-events.js';

const Micros = (description: string) => Type.String({ pattern: '^-?[0-9]+([.][0-9]+)?$', description });

export const NumberingSchema = Type.Object(
  {
    countryCode: Type.String({ pattern: '^[1-9][0-9]{0,2}$' }),
    internationalPrefix: Type.String({ pattern: '^[0-9]{1,4}$' }),
    trunkPrefix: Type.String({ pattern: '^[0-9]{0,2}$' }),
  },
  { additionalProperties: false, description: 'how the source writes national and international numbers' },
);

export const SaveUsageSourceBody = Type.Object(
  {
    profile: SourceProfileSchema,
    numbering: Type.Optional(Type.Union([NumberingSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type SaveUsageSourceBody = Static<typeof SaveUsageSourceBody>;

export const UsageSourceSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    profile: Type.Unknown({ description: 'the source profile (see SaveUsageSourceBody)' }),
    numbering: Type.Union([NumberingSchema, Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'UsageSource' },
);

export const RecordUsageBody = Type.Object(
  {
    source: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
        description: 'the source the events come from (created as a JSON source on first use); default `api`',
      }),
    ),
    events: Type.Array(UsageEventSchema, { minItems: 1, maxItems: MAX_USAGE_EVENTS_PER_REQUEST }),
  },
  { additionalProperties: false },
);
export type RecordUsageBody = Static<typeof RecordUsageBody>;

export const UsageEventResultSchema = Type.Object({
  index: Type.Integer({ description: 'the event position in the request' }),
  recordKey: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([
    Type.Literal('loaded'),
    Type.Literal('duplicate'),
    Type.Literal('suspended'),
    Type.Literal('skipped'),
  ]),
  ratedUsageId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  suspendedRecordId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  reason: Type.Optional(Type.String()),
  field: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  message: Type.Optional(Type.String()),
});

export const RecordUsageResponse = Type.Object({
  loaded: Type.Integer(),
  duplicate: Type.Integer(),
  suspended: Type.Integer(),
  skipped: Type.Integer(),
  results: Type.Array(UsageEventResultSchema),
});

export const UsageFileSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    sourceId: Type.String({ format: 'uuid' }),
    fileName: Type.String(),
    contentSha256: Type.String(),
    sizeBytes: Type.String({ description: 'bytes, as decimal text' }),
    status: Type.Union([Type.Literal('loading'), Type.Literal('done'), Type.Literal('failed')]),
    linesDone: Type.String({ description: 'the last line of the last committed batch' }),
    read: Type.String(),
    loaded: Type.String(),
    duplicate: Type.String(),
    suspended: Type.String(),
    skipped: Type.String(),
    rated: Type.Record(Type.String(), Type.String(), {
      description: 'money charged by the loaded records per currency, as exact decimals',
    }),
    error: Type.Union([Type.String(), Type.Null()]),
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'UsageFile' },
);
export type UsageFileView = Static<typeof UsageFileSchema>;

export const RatedUsageSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String({ format: 'uuid' }),
    subscriptionId: Type.String({ format: 'uuid' }),
    sourceId: Type.String({ format: 'uuid' }),
    recordKey: Type.String(),
    entry: Type.Union([Type.Literal('charge'), Type.Literal('reversal')]),
    reversesId: Type.Union([Type.String(), Type.Null()]),
    rerateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    fileId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    lineNumber: Type.Union([Type.Integer(), Type.Null()]),
    startedAt: Type.String({ format: 'date-time' }),
    service: Type.String(),
    direction: Type.String(),
    subscriber: Type.String(),
    destination: Type.String(),
    unit: Type.String(),
    units: Type.String(),
    currency: Type.String(),
    list: Type.String({ description: "the tariff's price of every unit" }),
    allowanceUnits: Type.String(),
    charged: Type.String({ description: 'what the usage costs after allowances' }),
    debited: Type.String({ description: 'the part taken from balances' }),
    settlement: Type.Union([Type.Literal('accrued'), Type.Literal('debited'), Type.Literal('online')]),
    ledgerTransactionId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    chargingSessionId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    tariffVersionId: Type.String({ format: 'uuid' }),
    explanation: Type.Unknown({
      description:
        'as stored: the matched prefix, destination, time bands and rates, and the allowance buckets spent; GET one record for the full explanation',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RatedUsage' },
);
export type RatedUsageView = Static<typeof RatedUsageSchema>;

export const SuspendedRecordSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    sourceId: Type.String({ format: 'uuid' }),
    recordKey: Type.String(),
    fileId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    lineNumber: Type.Union([Type.Integer(), Type.Null()]),
    raw: Type.String({ description: 'the text the next reprocessing reads (edited or as received)' }),
    originalRaw: Type.String(),
    reason: Type.String({ description: 'a stable code: malformed_record, unknown_subscriber, no_rate, ...' }),
    field: Type.Union([Type.String(), Type.Null()]),
    message: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('discarded')]),
    attempts: Type.Integer(),
    ratedUsageId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SuspendedRecord' },
);

export const SuspenseAttemptSchema = Type.Object({
  attempt: Type.Integer(),
  raw: Type.String(),
  outcome: Type.Union([Type.Literal('loaded'), Type.Literal('duplicate'), Type.Literal('suspended')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const ReprocessBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 })),
    source: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' })),
    fileId: Type.Optional(Type.String({ format: 'uuid' })),
    reason: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  {
    additionalProperties: false,
    description: 'which open records: every open record when nothing narrows it',
  },
);
export type ReprocessBody = Static<typeof ReprocessBody>;

export const ReprocessSummarySchema = Type.Object({
  examined: Type.Integer(),
  loaded: Type.Integer(),
  duplicate: Type.Integer(),
  suspended: Type.Integer({ description: 'failed again: still open, with their new reason' }),
});

export const RerateBody = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'usage that started at or after this' }),
    to: Type.String({ format: 'date-time', description: 'and before this (at most 366 days later)' }),
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    subscriptionId: Type.Optional(Type.String({ format: 'uuid' })),
    source: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' })),
  },
  { additionalProperties: false },
);
export type RerateBody = Static<typeof RerateBody>;

export const RerateReportSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    examined: Type.Integer(),
    changed: Type.Integer(),
    failed: Type.Integer({ description: 'records the current catalog cannot price: left as they were' }),
    skippedOnline: Type.Integer({ description: 'records an online session charged: not rerated' }),
    failures: Type.Array(Type.Object({ ratedUsageId: Type.String(), message: Type.String() })),
    differences: Type.Array(
      Type.Object({
        accountId: Type.String({ format: 'uuid' }),
        currency: Type.String(),
        records: Type.Integer(),
        before: Micros('charged before, exact decimal'),
        after: Micros('charged after, exact decimal'),
        difference: Micros('after less before, exact decimal'),
      }),
    ),
  },
  { $id: 'RerateReport' },
);
