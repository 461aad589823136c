import { type Static, Type } from '@sinclair/typebox';

const Scope = Type.Union(
  [Type.Literal('tenant'), Type.Literal('plan'), Type.Literal('account'), Type.Literal('subscription')],
  { description: 'where the rule applies; the most specific rule wins: subscription, account, plan, tenant' },
);

const Kind = Type.Union(
  [
    Type.Literal('allowance_used'),
    Type.Literal('cycle_spend'),
    Type.Literal('balance_below'),
    Type.Literal('credit_used'),
    Type.Literal('roaming_first_use'),
    Type.Literal('unusual_usage'),
  ],
  { description: 'what the rule watches (docs/bill-shock.md)' },
);

const Levels = Type.Array(Type.String({ pattern: '^[0-9]+([.][0-9]+)?$', maxLength: 30 }), {
  minItems: 1,
  maxItems: 20,
  description:
    'decimal texts: percentages (allowance_used, credit_used), micro-units (cycle_spend, balance_below), factors (unusual_usage), or ["1"] (roaming_first_use)',
});

export const NotificationRuleBody = Type.Object(
  {
    scope: Scope,
    scopeId: Type.Optional(
      Type.String({ format: 'uuid', description: 'the plan, account or line; absent for tenant' }),
    ),
    kind: Kind,
    levels: Levels,
    enabled: Type.Boolean({
      description: 'false turns the kind off for this scope (and those it overrides)',
    }),
  },
  { additionalProperties: false },
);
export type NotificationRuleBody = Static<typeof NotificationRuleBody>;

export const NotificationRuleKey = Type.Object(
  {
    scope: Scope,
    scopeId: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Kind,
  },
  { additionalProperties: false },
);
export type NotificationRuleKey = Static<typeof NotificationRuleKey>;

export const NotificationRuleFilter = Type.Object(
  {
    scope: Type.Optional(Scope),
    scopeId: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Type.Optional(Kind),
  },
  { additionalProperties: false },
);
export type NotificationRuleFilter = Static<typeof NotificationRuleFilter>;

export const NotificationRuleSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    scope: Scope,
    scopeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    kind: Kind,
    levels: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'NotificationRule' },
);
export type NotificationRule = Static<typeof NotificationRuleSchema>;

export const NotificationFiringSchema = Type.Object(
  {
    id: Type.String({ description: 'the firing id; messages it queued have source key firing:<id>' }),
    accountId: Type.String({ format: 'uuid' }),
    subscriptionId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    kind: Type.String({ description: 'a rule kind, or spending_cap' }),
    subject: Type.String({
      description: "the allowance bucket, roaming zone or cap period; '' for the whole",
    }),
    level: Type.String(),
    cycleKey: Type.String({ description: 'the period the threshold fired in: it fires once per cycle' }),
    observed: Type.Record(Type.String(), Type.Unknown()),
    firedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'NotificationFiring' },
);
export type NotificationFiring = Static<typeof NotificationFiringSchema>;

export const FiringsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,19}$', description: 'nextCursor of the page before' }),
    ),
  },
  { additionalProperties: false },
);
export type FiringsQuery = Static<typeof FiringsQuery>;

export const FiringsPage = Type.Object({
  items: Type.Array(NotificationFiringSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
