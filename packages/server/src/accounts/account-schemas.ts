import { type Static, Type } from '@sinclair/typebox';

export const AccountKindSchema = Type.Union(
  [Type.Literal('prepaid'), Type.Literal('postpaid'), Type.Literal('hybrid')],
  { description: 'prepaid spends a balance; postpaid is invoiced; hybrid does both' },
);
export const AccountStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('closed'),
]);

/**
 * Money travels as decimal text, never as a JSON number (a double cannot hold most decimals
 * exactly). Twelve integer digits keep every amount inside int8 micro-units.
 */
export const MoneyAmountSchema = Type.String({
  pattern: '^\\d{1,12}(\\.\\d{1,6})?$',
  description: 'an exact decimal amount in the account currency, as a string: "250.00"',
  examples: ['250.00'],
});

const CreditLimit = Type.Union([MoneyAmountSchema, Type.Null()], {
  description: 'postpaid and hybrid accounts only; null means no limit is enforced',
});
const BillCycleDay = Type.Integer({
  minimum: 1,
  maximum: 28,
  description:
    'the day a bill cycle starts, in the account time zone (default 1): a day of the month (1..28), ' +
    'or for weekly cycles an ISO weekday (1 Monday .. 7 Sunday)',
});
export const BillCycleUnitSchema = Type.Union(
  [Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')],
  { description: 'how long a bill cycle is (default month)' },
);
const BillCycleMonth = Type.Integer({
  minimum: 1,
  maximum: 12,
  description: 'the month quarterly and yearly cycles are anchored on (default 1, January)',
});
const ItemisedInvoices = Type.Boolean({ description: 'invoices list every usage record (default false)' });
const PaymentTermsDays = Type.Integer({
  minimum: 0,
  maximum: 365,
  description: 'days between an invoice and its due date (default 14)',
});

export const CreateAccountBody = Type.Object(
  {
    customerId: Type.String({ format: 'uuid' }),
    kind: AccountKindSchema,
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; default: the tenant default currency' }),
    ),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'IANA time zone of the bill cycle; default: the tenant time zone',
      }),
    ),
    creditLimit: Type.Optional(CreditLimit),
    billCycleDay: Type.Optional(BillCycleDay),
    billCycleUnit: Type.Optional(BillCycleUnitSchema),
    billCycleMonth: Type.Optional(BillCycleMonth),
    itemisedInvoices: Type.Optional(ItemisedInvoices),
    paymentTermsDays: Type.Optional(PaymentTermsDays),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Partial(
  Type.Object({
    creditLimit: CreditLimit,
    billCycleDay: BillCycleDay,
    billCycleUnit: BillCycleUnitSchema,
    billCycleMonth: BillCycleMonth,
    itemisedInvoices: ItemisedInvoices,
    paymentTermsDays: PaymentTermsDays,
    status: AccountStatusSchema,
  }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;

export const AccountSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    accountNumber: Type.String({ description: 'unique within the tenant, e.g. A-000123' }),
    customerId: Type.String({ format: 'uuid' }),
    kind: AccountKindSchema,
    currency: Type.String(),
    timeZone: Type.String(),
    creditLimit: Type.Union([Type.String(), Type.Null()]),
    billCycleDay: Type.Integer(),
    billCycleUnit: BillCycleUnitSchema,
    billCycleMonth: Type.Integer(),
    itemisedInvoices: Type.Boolean(),
    paymentTermsDays: Type.Integer(),
    autopay: Type.Boolean({
      description:
        'finalised invoices are charged to the default payment method (PUT /v1/accounts/{id}/autopay)',
    }),
    status: AccountStatusSchema,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Account' },
);
export type Account = Static<typeof AccountSchema>;

export const AccountListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(AccountStatusSchema),
    kind: Type.Optional(AccountKindSchema),
    accountNumber: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type AccountListQuery = Static<typeof AccountListQuery>;
