import { type Static, Type } from '@sinclair/typebox';

export const DunningStepSchema = Type.Object(
  {
    day: Type.Integer({
      minimum: -730,
      maximum: 730,
      description: 'days after the due date (negative: before)',
    }),
    action: Type.Union(
      ['reminder', 'retry', 'late_fee', 'suspend', 'terminate', 'write_off'].map((action) =>
        Type.Literal(action),
      ),
    ),
    notify: Type.Optional(
      Type.Boolean({ description: 'tell the customer of the step (reminders always do)' }),
    ),
    feeMicros: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'late_fee: a fixed fee in micro-units' }),
    ),
    feePercent: Type.Optional(Type.String({ description: 'late_fee: a percentage of the overdue amount' })),
  },
  { additionalProperties: false },
);

export const SetDunningPolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    steps: Type.Array(DunningStepSchema, { minItems: 1, maxItems: 50 }),
    graceDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 365,
        default: 0,
        description: 'no suspension before this many days past due',
      }),
    ),
    minimumOverdue: Type.Optional(
      Type.String({
        pattern: '^[0-9]+(\\.[0-9]+)?$',
        description: 'overdue amounts below this are not chased (account currency)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SetDunningPolicyBody = Static<typeof SetDunningPolicyBody>;

export const DunningPolicySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  customerGroup: Type.String(),
  name: Type.String(),
  steps: Type.Array(DunningStepSchema),
  graceDays: Type.Integer(),
  minimumOverdueMicros: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type DunningPolicyView = Static<typeof DunningPolicySchema>;

export const DunningCaseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  accountId: Type.String({ format: 'uuid' }),
  policyId: Type.String({ format: 'uuid' }),
  anchorDueOn: Type.String({ description: 'the due date the policy days count from' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('written_off')]),
  service: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('terminated')]),
  openedAt: Type.String({ format: 'date-time' }),
  suspendedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  restoredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  steps: Type.Array(
    Type.Object({
      index: Type.Integer(),
      action: Type.String(),
      scheduledOn: Type.String(),
      executedAt: Type.String({ format: 'date-time' }),
      outcome: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});
export type DunningCaseView = Static<typeof DunningCaseSchema>;
