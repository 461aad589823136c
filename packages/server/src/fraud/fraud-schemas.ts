import { type Static, Type } from '@sinclair/typebox';
import { FRAUD_RULE_KINDS } from './fraud-rules.js';

const Kind = Type.Union(
  FRAUD_RULE_KINDS.map((kind) => Type.Literal(kind)),
  { description: FRAUD_RULE_KINDS.join(', ') },
);
const Action = Type.Union([Type.Literal('alert'), Type.Literal('bar')], {
  description:
    'alert: open a case; bar: open a case and bar the line from chargeable usage until it is decided',
});
const Status = Type.Union([Type.Literal('open'), Type.Literal('confirmed'), Type.Literal('dismissed')]);
const Instant = Type.String({ format: 'date-time' });

export const FraudRuleSchema = Type.Object({
  kind: Kind,
  enabled: Type.Boolean(),
  action: Action,
  notify: Type.Boolean({ description: 'send the webhook event fraud.case_opened when a case opens' }),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'per kind; see docs/fraud.md' }),
  updatedAt: Type.Union([Instant, Type.Null()], { description: 'null: the defaults, never set' }),
});

export const FraudRuleBody = Type.Object(
  {
    enabled: Type.Boolean(),
    action: Action,
    notify: Type.Boolean(),
    params: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the parameters of the kind; those not named keep their defaults',
    }),
  },
  { additionalProperties: false },
);
export type FraudRuleBody = Static<typeof FraudRuleBody>;

export const FraudCaseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Kind,
  status: Status,
  customerId: Type.String({ format: 'uuid' }),
  customerName: Type.String(),
  accountId: Type.String({ format: 'uuid' }),
  subscriptionId: Type.String({ format: 'uuid' }),
  identifier: Type.Union([Type.String(), Type.Null()], {
    description: "the line's MSISDN or other identifier",
  }),
  summary: Type.String(),
  evidence: Type.Record(Type.String(), Type.Unknown(), {
    description: 'what the rule saw; latestAt is the newest usage it rests on',
  }),
  occurrences: Type.Integer({
    minimum: 1,
    description: 'how many times the rule found the pattern on newer usage while open',
  }),
  barred: Type.Boolean({ description: 'the case bars the line (in force while open or confirmed)' }),
  openedAt: Instant,
  lastSeenAt: Instant,
  decidedAt: Type.Union([Instant, Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()], { description: '<actor type>:<actor id>' }),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const FraudCaseQuery = Type.Object(
  {
    status: Type.Optional(Status),
    subscriptionId: Type.Optional(Type.String({ format: 'uuid' })),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const FraudDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('confirm'), Type.Literal('dismiss')]),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    bar: Type.Optional(Type.Boolean({ description: 'with confirm: bar the line' })),
  },
  { additionalProperties: false },
);
