import { type Static, Type } from '@sinclair/typebox';

export const IDENTIFIER_KINDS = ['msisdn', 'imsi', 'sip_uri', 'username', 'ip', 'radius_user'] as const;

export const IdentifierKindSchema = Type.Union(
  IDENTIFIER_KINDS.map((kind) => Type.Literal(kind)),
  {
    description:
      'msisdn (normalised to E.164 in the tenant numbering context), imsi (6 to 15 digits), sip_uri (lowercased), username, ip, radius_user',
  },
);

export const SubscriptionStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('paused'),
  Type.Literal('terminated'),
]);

const Instant = (description: string) => Type.String({ format: 'date-time', description });

const IdentifierValue = Type.String({ minLength: 1, maxLength: 256 });

export const NewIdentifierSchema = Type.Object(
  { kind: IdentifierKindSchema, value: IdentifierValue },
  { additionalProperties: false },
);

export const CreateSubscriptionBody = Type.Object(
  {
    identifiers: Type.Array(NewIdentifierSchema, {
      minItems: 1,
      maxItems: 20,
      description: 'held from startsAt',
    }),
    planId: Type.Optional(Type.String({ format: 'uuid' })),
    startsAt: Type.Optional(Instant('when the line starts; default now')),
  },
  { additionalProperties: false },
);
export type CreateSubscriptionBody = Static<typeof CreateSubscriptionBody>;

export const AddIdentifierBody = Type.Object(
  {
    kind: IdentifierKindSchema,
    value: IdentifierValue,
    validFrom: Type.Optional(Instant('default: now, or the start of a line that has not started')),
  },
  { additionalProperties: false },
);
export type AddIdentifierBody = Static<typeof AddIdentifierBody>;

export const EndIdentifierBody = Type.Object(
  { at: Type.Optional(Instant('the identifier is released from this instant; default now')) },
  { additionalProperties: false },
);
export type EndIdentifierBody = Static<typeof EndIdentifierBody>;

export const IdentifierSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    subscriptionId: Type.String({ format: 'uuid' }),
    kind: IdentifierKindSchema,
    value: Type.String(),
    validFrom: Type.String({ format: 'date-time' }),
    validTo: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'SubscriptionIdentifier' },
);
export type Identifier = Static<typeof IdentifierSchema>;

export const SubscriptionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    planId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    status: SubscriptionStatusSchema,
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    identifiers: Type.Array(IdentifierSchema, {
      description: 'current, future and past; oldest first, then by kind and value',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Subscription' },
);
export type Subscription = Static<typeof SubscriptionSchema>;

export const SubscriptionListQuery = Type.Object(
  {
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(SubscriptionStatusSchema),
    identifier: Type.Optional(
      Type.String({
        pattern: `^(${IDENTIFIER_KINDS.join('|')}):.+$`,
        maxLength: 300,
        description: 'kind:value, e.g. msisdn:+4930123456 (send "+" as %2B); the value is normalised first',
      }),
    ),
    at: Type.Optional(Instant('with identifier: only a holder at this instant; default any time')),
  },
  { additionalProperties: false },
);
export type SubscriptionListQuery = Static<typeof SubscriptionListQuery>;

/** The changes a client may post; `activated` is written when the subscription is created. */
export const CHANGE_KINDS = [
  'plan_changed',
  'addon_added',
  'addon_removed',
  'paused',
  'resumed',
  'suspended',
  'restored',
  'terminated',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const SubscriptionChangeBody = Type.Object(
  {
    kind: Type.Union(CHANGE_KINDS.map((kind) => Type.Literal(kind))),
    effectiveAt: Type.Optional(
      Instant('default now; not before the last change, and not in the future (no scheduling yet)'),
    ),
    planId: Type.Optional(Type.String({ format: 'uuid', description: 'plan_changed only: the new plan' })),
    addonPlanId: Type.Optional(
      Type.String({ format: 'uuid', description: 'addon_added and addon_removed only' }),
    ),
  },
  { additionalProperties: false },
);
export type SubscriptionChangeBody = Static<typeof SubscriptionChangeBody>;

const NullablePlanId = Type.Union([Type.String({ format: 'uuid' }), Type.Null()]);

export const SubscriptionEventSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    subscriptionId: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    sequence: Type.Integer({ description: '1, 2, 3, ... in the order the changes were applied' }),
    kind: Type.Union(
      ['activated', ...CHANGE_KINDS].map((kind) => Type.Literal(kind as 'activated' | ChangeKind)),
    ),
    effectiveAt: Type.String({ format: 'date-time' }),
    data: Type.Object({
      planId: Type.Optional(NullablePlanId),
      fromPlanId: Type.Optional(NullablePlanId),
      toPlanId: Type.Optional(Type.String({ format: 'uuid' })),
      addonPlanId: Type.Optional(Type.String({ format: 'uuid' })),
    }),
    actor: Type.Object({ type: Type.String(), id: Type.String() }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SubscriptionChange' },
);
export type SubscriptionEvent = Static<typeof SubscriptionEventSchema>;

export const SubscriptionChangeResult = Type.Object({
  change: SubscriptionEventSchema,
  subscription: SubscriptionSchema,
});
export type SubscriptionChangeResult = Static<typeof SubscriptionChangeResult>;
