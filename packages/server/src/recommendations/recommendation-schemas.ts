import { type Static, Type } from '@sinclair/typebox';
import { AddPlanVersionBody } from '../catalog/plan-schemas.js';

const Money = Type.String({ description: 'exact decimal amount in the currency' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const CyclesQuery = Type.Object(
  {
    cycles: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 36,
        default: 3,
        description: 'complete bill cycles to compare (default 3)',
      }),
    ),
  },
  { additionalProperties: false },
);

const PlanRef = Type.Object({
  planId: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
});

const AllowanceFigure = Type.Object({
  service: Type.String(),
  unit: Type.String({ description: 'seconds, bytes, messages, units, or the currency of a money allowance' }),
  included: Type.String({ description: 'granted for the cycle, a decimal in the unit' }),
  used: Type.String({ description: 'spent in the cycle, a decimal in the unit' }),
});

const CycleFigure = Type.Object({
  from: Day,
  to: Day,
  recurringFee: Money,
  usage: Money,
  tax: Money,
  total: Money,
  allowances: Type.Array(AllowanceFigure),
});

const PlanOptionSchema = Type.Object({
  planId: Type.String({ format: 'uuid' }),
  planVersionId: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  current: Type.Boolean(),
  rank: Type.Integer({ minimum: 1, description: '1 = cheapest' }),
  total: Money,
  averagePerCycle: Money,
  savingPerCycle: Type.String({
    description: "the current plan's average less this one's; positive = cheaper",
  }),
  cycles: Type.Array(CycleFigure),
});

export const PlanRecommendationSchema = Type.Object({
  subscriptionId: Type.String({ format: 'uuid' }),
  currency: Type.String(),
  cycles: Type.Array(Type.Object({ from: Day, to: Day }), {
    description: 'complete bill cycles, oldest first',
  }),
  current: PlanRef,
  options: Type.Array(PlanOptionSchema),
});
export type PlanRecommendation = Static<typeof PlanRecommendationSchema>;

export const OpportunitiesQuery = Type.Object(
  {
    kind: Type.Optional(
      Type.Union([Type.Literal('saving'), Type.Literal('upsell')], {
        default: 'saving',
        description:
          'saving: who would pay the most less on another plan; upsell: who keeps exceeding an allowance',
      }),
    ),
    cycles: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 3 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type OpportunitiesQuery = Static<typeof OpportunitiesQuery>;

export const OpportunitySchema = Type.Object({
  customerId: Type.String({ format: 'uuid' }),
  customerName: Type.String(),
  accountId: Type.String({ format: 'uuid' }),
  accountNumber: Type.String(),
  subscriptionId: Type.String({ format: 'uuid' }),
  identifier: Type.Union([Type.String(), Type.Null()]),
  currency: Type.String(),
  currentPlan: PlanRef,
  suggestedPlan: PlanRef,
  currentAveragePerCycle: Money,
  suggestedAveragePerCycle: Money,
  savingPerCycle: Money,
  cyclesOverAllowance: Type.Integer({ minimum: 0 }),
  cyclesCompared: Type.Integer({ minimum: 1 }),
});
export type Opportunity = Static<typeof OpportunitySchema>;

export const OpportunitiesSchema = Type.Object({
  kind: Type.Union([Type.Literal('saving'), Type.Literal('upsell')]),
  cycles: Type.Integer(),
  items: Type.Array(OpportunitySchema),
});
export type Opportunities = Static<typeof OpportunitiesSchema>;

export const WhatIfBody = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date', description: 'first day (default: the first of last month)' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'last day, inclusive (default: the end of last month)' }),
    ),
    plans: Type.Optional(
      Type.Array(
        Type.Object(
          {
            planId: Type.String({ format: 'uuid' }),
            draft: AddPlanVersionBody,
          },
          { additionalProperties: false },
        ),
        { maxItems: 20, description: 'draft versions, as POST /v1/plans/{id}/versions takes them' },
      ),
    ),
    tariffs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            tariffId: Type.String({ format: 'uuid' }),
            document: Type.Unknown({
              description: 'a native tariff document, as POST /v1/tariffs/{id}/versions takes it',
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WhatIfBody = Static<typeof WhatIfBody>;

const RevenueFigures = {
  currency: Type.String(),
  subscriptions: Type.Integer({ minimum: 0 }),
  currentRevenue: Money,
  proposedRevenue: Money,
  change: Money,
  changePercent: Type.Union([Type.String(), Type.Null()], {
    description: '2 decimals; null when current is zero',
  }),
};

export const WhatIfSchema = Type.Object({
  from: Day,
  to: Day,
  totals: Type.Array(Type.Object(RevenueFigures)),
  byPlan: Type.Array(
    Type.Object({
      planId: Type.String({ format: 'uuid' }),
      code: Type.String(),
      name: Type.String(),
      ...RevenueFigures,
    }),
  ),
  bySegment: Type.Array(Type.Object({ segment: Type.String(), ...RevenueFigures })),
});
export type WhatIf = Static<typeof WhatIfSchema>;
