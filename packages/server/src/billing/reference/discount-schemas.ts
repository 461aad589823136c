import { type Static, Type } from '@sinclair/typebox';

const DiscountKind = Type.Union([Type.Literal('percent'), Type.Literal('fixed')], {
  description: 'percent: a share of the target; fixed: an amount off it, never more than it',
});

const DiscountTarget = Type.Union(
  [Type.Literal('invoice'), Type.Literal('plan'), Type.Literal('service'), Type.Literal('subscription')],
  { description: "what it takes off: the whole invoice, a plan's lines, a service's usage, or one line" },
);

export const CreateDiscountBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'printed on the invoice line',
    }),
    kind: DiscountKind,
    percent: Type.Optional(
      Type.String({
        pattern: '^\\d{1,3}(\\.\\d{1,6})?$',
        description: 'for kind percent only: above 0, at most 100, at most 6 decimals',
      }),
    ),
    amount: Type.Optional(
      Type.String({
        pattern: '^\\d{1,12}(\\.\\d{1,6})?$',
        description: 'for kind fixed only: an exact decimal above 0 in the account currency, e.g. "5.00"',
      }),
    ),
    target: DiscountTarget,
    targetId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'plan: a plan id; service: a service name (voice, data, ...); subscription: a line of this account; ' +
          'absent for invoice',
      }),
    ),
    cycles: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 120,
        description: 'how many invoices it applies to; absent: every invoice until it ends',
      }),
    ),
    startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time', description: 'absent: open-ended' })),
  },
  { additionalProperties: false },
);
export type CreateDiscountBody = Static<typeof CreateDiscountBody>;

export const DiscountSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    kind: DiscountKind,
    percent: Type.Union([Type.String(), Type.Null()]),
    amount: Type.Union([Type.String(), Type.Null()]),
    currency: Type.Union([Type.String(), Type.Null()]),
    target: DiscountTarget,
    targetId: Type.Union([Type.String(), Type.Null()]),
    cycles: Type.Union([Type.Integer(), Type.Null()]),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Discount' },
);
export type Discount = Static<typeof DiscountSchema>;
