import { type Static, Type } from '@sinclair/typebox';
import { Code, Name } from './tariff-schemas.js';

/** Money in the API: exact decimal text in the plan's currency, never a JSON number. */
const Amount = Type.String({
  pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
  description: 'exact decimal amount, e.g. "9.99" (at most 6 decimals)',
});

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });

const PlanKind = Type.Union([Type.Literal('base'), Type.Literal('addon')]);

const FeePeriod = Type.Union(
  [Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')],
  { description: 'how often the recurring fee is charged and the allowances renew' },
);

export const OneTimeFeeSchema = Type.Object(
  { code: Code, name: Name, amount: Amount },
  { additionalProperties: false },
);

export const AllowanceSchema = Type.Object(
  {
    service: Type.String({
      pattern: '^[a-z][a-z0-9_-]{0,39}$',
      description:
        'voice (amount a duration, "300m"), sms (a count, "100"), data (a volume, "1GB"), money (a decimal, ' +
        '"5.00") or a custom service (any quantity)',
    }),
    amount: Type.String({ minLength: 1, maxLength: 40 }),
    category: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9*][A-Za-z0-9._:*-]{0,99}$',
        description: 'the rating category it covers (e.g. call); absent: all of the service',
      }),
    ),
  },
  { additionalProperties: false },
);

const PlanVersionFields = {
  effectiveFrom: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'when this version takes effect (default: now); later than every earlier version, and not in the past',
    }),
  ),
  recurringFee: Amount,
  currency: Type.Optional(Currency),
  feePeriod: FeePeriod,
  oneTimeFees: Type.Optional(Type.Array(OneTimeFeeSchema, { maxItems: 20 })),
  allowances: Type.Optional(Type.Array(AllowanceSchema, { maxItems: 50 })),
  tariffId: Type.Optional(
    Type.String({ format: 'uuid', description: 'the tariff that prices usage; required for base plans' }),
  ),
  ratingSubject: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'subject usage is rated under when it names none (default *any)',
    }),
  ),
};

export const CreatePlanBody = Type.Object(
  { code: Code, name: Name, kind: PlanKind, ...PlanVersionFields },
  { additionalProperties: false },
);
export type CreatePlanBody = Static<typeof CreatePlanBody>;

export const AddPlanVersionBody = Type.Object(PlanVersionFields, { additionalProperties: false });
export type AddPlanVersionBody = Static<typeof AddPlanVersionBody>;

export const PlanVersionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  planId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
  effectiveFrom: Type.String({ format: 'date-time' }),
  recurringFee: Type.String(),
  currency: Type.String(),
  feePeriod: FeePeriod,
  oneTimeFees: Type.Array(OneTimeFeeSchema),
  allowances: Type.Array(AllowanceSchema),
  tariffId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  ratingSubject: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PlanVersion = Static<typeof PlanVersionSchema>;

const PlanFields = {
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  kind: PlanKind,
  latestVersion: Type.Integer(),
  current: Type.Union([PlanVersionSchema, Type.Null()], {
    description: 'the version in effect at `at` (default now); null before the first takes effect',
  }),
  createdAt: Type.String({ format: 'date-time' }),
};

export const PlanSchema = Type.Object(PlanFields);
export type PlanItem = Static<typeof PlanSchema>;

export const PlanDetailSchema = Type.Object({
  ...PlanFields,
  at: Type.String({ format: 'date-time', description: 'the instant `current` is in effect at' }),
  versions: Type.Array(PlanVersionSchema),
});
export type PlanDetail = Static<typeof PlanDetailSchema>;

export const PlanListQuery = Type.Object(
  {
    kind: Type.Optional(PlanKind),
    code: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const PlanAtQuery = Type.Object(
  { at: Type.Optional(Type.String({ format: 'date-time', description: 'show the version in effect then' })) },
  { additionalProperties: false },
);
