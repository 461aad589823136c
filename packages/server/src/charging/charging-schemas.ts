import { type Static, Type } from '@sinclair/typebox';

/** Seconds, bytes or messages, by the service. */
function units(description: string) {
  return Type.Integer({ minimum: 0, maximum: 2 ** 50, description });
}

export const SubscriberSchema = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('msisdn'),
      Type.Literal('imsi'),
      Type.Literal('sip_uri'),
      Type.Literal('username'),
    ]),
    value: Type.String({ minLength: 1, maxLength: 256, examples: ['+4917698765432'] }),
  },
  { additionalProperties: false, description: 'The subscriber as the network names them' },
);

const ServiceRequestSchema = Type.Object(
  {
    ratingGroup: Type.Integer({
      minimum: 0,
      maximum: 0xffffffff,
      description: 'The rating group: 1 voice (seconds), 2 SMS (messages), 3 data (bytes)',
    }),
    destination: Type.Optional(Type.String({ maxLength: 256, description: 'The number called or messaged' })),
    requestedUnits: Type.Optional(units('Units to reserve; absent: the service default')),
    usedUnits: Type.Optional(units('Units used since the previous report')),
  },
  { additionalProperties: false },
);

const SessionId = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'Unique per session, e.g. the Diameter Session-Id',
});

export const InitiateBody = Type.Object(
  {
    sessionId: SessionId,
    subscriber: SubscriberSchema,
    services: Type.Array(ServiceRequestSchema, { minItems: 1, maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type InitiateBody = Static<typeof InitiateBody>;

export const ContinueBody = Type.Object(
  {
    requestNumber: Type.Integer({
      minimum: 1,
      maximum: 2 ** 31 - 1,
      description: 'CC-Request-Number: 1, 2, ... in order',
    }),
    services: Type.Array(ServiceRequestSchema, { maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type ContinueBody = Static<typeof ContinueBody>;

export const EventBody = Type.Object(
  {
    eventId: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Unique per event: a retry with the same id charges once',
    }),
    subscriber: SubscriberSchema,
    services: Type.Array(ServiceRequestSchema, { minItems: 1, maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type EventBody = Static<typeof EventBody>;

export const AuthoriseBody = Type.Object(
  {
    subscriber: SubscriberSchema,
    services: Type.Array(ServiceRequestSchema, { minItems: 1, maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type AuthoriseBody = Static<typeof AuthoriseBody>;

export const SessionParams = Type.Object({ sessionId: SessionId });

const ServiceAnswerSchema = Type.Object({
  ratingGroup: Type.Integer(),
  resultCode: Type.Union([
    Type.Literal('success'),
    Type.Literal('insufficient_balance'),
    Type.Literal('rating_failed'),
    Type.Literal('service_denied'),
  ]),
  unit: Type.String({ description: 'seconds | bytes | messages | units' }),
  grantedUnits: Type.Integer({ description: 'Units reserved now; use no more without asking again' }),
  finalUnit: Type.Boolean({ description: 'The last grant: end the service when it is used' }),
  validityTimeSeconds: Type.Integer({ description: 'Report before this or the grant lapses' }),
  charged: Type.String({ description: 'Money charged by this request, in the account currency' }),
  message: Type.Optional(Type.String()),
});

export const ChargingAnswerSchema = Type.Object({
  sessionId: Type.String(),
  requestNumber: Type.Integer(),
  accountId: Type.String({ format: 'uuid' }),
  currency: Type.String(),
  services: Type.Array(ServiceAnswerSchema),
});
export type ChargingAnswer = Static<typeof ChargingAnswerSchema>;
