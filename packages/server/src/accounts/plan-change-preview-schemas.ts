import { type Static, Type } from '@sinclair/typebox';
import { AllowanceSchema } from '../catalog/plan-schemas.js';

export const PlanChangePreviewBody = Type.Object(
  {
    planId: Type.String({
      format: 'uuid',
      description: 'the new base plan, as POST /v1/subscriptions/{id}/changes takes it for plan_changed',
    }),
    effectiveAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'default now; as for the change itself, not before the last change and not in the future',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlanChangePreviewBody = Static<typeof PlanChangePreviewBody>;

const Amount = (description: string) => Type.String({ description: `${description}, an exact decimal` });
const IsoDate = (description: string) =>
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });

const PlanTerms = {
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  recurringFee: Amount("the fee per fee period, in the account's currency"),
  feePeriod: Type.String({ description: 'week, month, quarter or year' }),
};

export const PlanChangePreviewSchema = Type.Object(
  {
    subscriptionId: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    currency: Type.String(),
    effectiveAt: Type.String({ format: 'date-time' }),
    effectiveDate: IsoDate('the local day the change takes effect from (the account’s zone)'),
    cycle: Type.Object({
      start: IsoDate('the first day of the bill cycle holding the change'),
      end: IsoDate('its last day, included'),
      days: Type.Integer(),
    }),
    currentPlan: Type.Union([Type.Object(PlanTerms), Type.Null()]),
    newPlan: Type.Object({ ...PlanTerms, allowances: Type.Array(AllowanceSchema) }),
    lines: Type.Array(
      Type.Object({
        kind: Type.Union([Type.Literal('recurring'), Type.Literal('recurring_credit')]),
        planId: Type.String({ format: 'uuid' }),
        label: Type.String(),
        from: IsoDate('first day'),
        to: IsoDate('last day, included'),
        days: Type.Integer(),
        windowDays: Type.Integer({ description: 'days of the fee period the fee is prorated over' }),
        fee: Amount('the fee per fee period'),
        amount: Amount('negative for a credit'),
      }),
      { description: 'the recurring lines the change adds to the next invoice, as billing prorates them' },
    ),
    credit: Amount("the current plan's fee for the cycle's days from the change on, taken back (negative)"),
    charge: Amount("the new plan's fee for the same days"),
    net: Amount('charge plus credit: what the change adds to the next invoice, before taxes'),
  },
  { $id: 'PlanChangePreview' },
);
export type PlanChangePreview = Static<typeof PlanChangePreviewSchema>;
