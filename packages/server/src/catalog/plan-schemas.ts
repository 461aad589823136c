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
    rolloverCycles: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 12,
        description: 'for how many following fee periods unused units carry over (absent or 0: none)',
      }),
    ),
  },
  { additionalProperties: false },
);

const TaxCategory = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,39}$',
  description: 'the tax category tax rules know the recurring fee by (default recurring)',
});

const PlanPriceFeeSchema = Type.Object({ code: Code, amount: Amount }, { additionalProperties: false });

/** The version's fees in one more currency: billed as they are to accounts in that currency, never converted. */
export const PlanPriceBody = Type.Object(
  {
    currency: Currency,
    recurringFee: Amount,
    oneTimeFees: Type.Optional(
      Type.Array(PlanPriceFeeSchema, {
        maxItems: 20,
        description: "each code one of the version's oneTimeFees",
      }),
    ),
  },
  { additionalProperties: false },
);

export type PlanPriceBody = Static<typeof PlanPriceBody>;

export const PlanPriceSchema = Type.Object({
  currency: Type.String(),
  recurringFee: Type.String(),
  oneTimeFees: Type.Array(PlanPriceFeeSchema),
});

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
  prices: Type.Optional(
    Type.Array(PlanPriceBody, {
      maxItems: 20,
      description:
        "the fees in other currencies than the version's, each currency once; a fee without one is converted at the day's exchange rate",
    }),
  ),
  minimumCommitment: Type.Optional(
    Type.String({
      pattern: '^\\d{1,12}(\\.\\d{1,6})?$',
      description: 'least usage charged per fee period, in the version currency: usage below it is topped up',
    }),
  ),
  taxCategory: Type.Optional(TaxCategory),
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
  prices: Type.Array(PlanPriceSchema, { description: 'by currency code' }),
  minimumCommitment: Type.Union([Type.String(), Type.Null()]),
  taxCategory: Type.String(),
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
