import { type Static, Type } from '@sinclair/typebox';
import { LedgerTransactionSchema } from '../balances/balance-schemas.js';
import { PageQuery } from '../http/pagination.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Amount = (description: string) =>
  Type.String({
    pattern: '^[0-9]+(\\.[0-9]+)?$',
    description: `${description}, exact decimal in the currency`,
  });

export const PaymentStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('requires_action'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);

export const PaymentSchema = Type.Object({
  id: Uuid,
  accountId: Uuid,
  source: Type.String({ description: 'gateway, bank_transfer, cash, cheque or other' }),
  purpose: Type.String({ description: 'payment, autopay, dunning_retry or auto_recharge' }),
  gateway: Nullable(Type.String()),
  paymentMethodId: Type.Union([Uuid, Type.Null()]),
  invoiceId: Type.Union([Uuid, Type.Null()]),
  amount: Type.String(),
  currency: Type.String(),
  status: PaymentStatusSchema,
  failureCode: Nullable(Type.String()),
  failureMessage: Nullable(Type.String()),
  gatewayReference: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  refunded: Type.String(),
  chargedBack: Type.String(),
  allocated: Type.String({ description: 'applied to invoices' }),
  unallocated: Type.String({ description: 'left as credit on the account' }),
  allocations: Type.Array(
    Type.Object({
      invoiceId: Uuid,
      amount: Type.String({ description: 'negative: taken back' }),
      reason: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
  receivedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PaymentView = Static<typeof PaymentSchema>;

export const RecordPaymentBody = Type.Object(
  {
    source: Type.Union([
      Type.Literal('bank_transfer'),
      Type.Literal('cash'),
      Type.Literal('cheque'),
      Type.Literal('other'),
    ]),
    amount: Amount('the amount received'),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: "the account's currency" }),
    invoiceId: Type.Optional(
      Type.String({ format: 'uuid', description: 'pay this invoice first; default: the oldest due' }),
    ),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'remittance text, cheque number' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
  },
  { additionalProperties: false },
);
export type RecordPaymentBody = Static<typeof RecordPaymentBody>;

export const CollectPaymentBody = Type.Object(
  {
    amount: Type.Optional(Amount("default: the invoice's amount due, or everything the account owes")),
    invoiceId: Type.Optional(Type.String({ format: 'uuid' })),
    paymentMethodId: Type.Optional(
      Type.String({ format: 'uuid', description: "default: the account's default method" }),
    ),
  },
  { additionalProperties: false },
);
export type CollectPaymentBody = Static<typeof CollectPaymentBody>;

export const CardTopUpBody = Type.Object(
  {
    amount: Type.String({
      pattern: '^\\d{1,12}(\\.\\d{1,6})?$',
      description:
        'what to put on the prepaid balance and charge to the card, exact decimal in the account currency ("20.00")',
    }),
    paymentMethodId: Type.Optional(
      Type.String({ format: 'uuid', description: "default: the account's default method" }),
    ),
  },
  { additionalProperties: false },
);
export type CardTopUpBody = Static<typeof CardTopUpBody>;

export const CardTopUpSchema = Type.Object({
  payment: PaymentSchema,
  transaction: Type.Union([LedgerTransactionSchema, Type.Null()], {
    description: 'the top-up of the balance; null while the charge waits (pending or requires_action)',
  }),
});

export const RefundBody = Type.Object(
  {
    amount: Type.Optional(Amount('default: all that can still be refunded')),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

export const ChargebackBody = Type.Object(
  {
    amount: Amount('the amount the bank took back'),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ChargebackBody = Static<typeof ChargebackBody>;

export const PaymentReversalSchema = Type.Object({
  id: Uuid,
  paymentId: Uuid,
  kind: Type.Union([Type.Literal('refund'), Type.Literal('chargeback')]),
  amount: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  gatewayReference: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  failureMessage: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type PaymentReversalView = Static<typeof PaymentReversalSchema>;

export const PaymentListQuery = Type.Composite(
  [PageQuery, Type.Object({ status: Type.Optional(PaymentStatusSchema), accountId: Type.Optional(Uuid) })],
  { additionalProperties: false },
);
export type PaymentListQuery = Static<typeof PaymentListQuery>;

export const PaymentMethodSchema = Type.Object({
  id: Uuid,
  accountId: Uuid,
  gateway: Type.String(),
  kind: Type.String(),
  brand: Nullable(Type.String()),
  last4: Nullable(Type.String()),
  expMonth: Type.Union([Type.Integer(), Type.Null()]),
  expYear: Type.Union([Type.Integer(), Type.Null()]),
  isDefault: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PaymentMethodView = Static<typeof PaymentMethodSchema>;

export const AddPaymentMethodBody = Type.Object(
  {
    gateway: Type.Optional(Type.String({ description: 'default: stripe when configured, else sandbox' })),
    token: Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        "the token the gateway's client library gave (never card data); sandbox: tok_sandbox_success, ...",
    }),
    makeDefault: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type AddPaymentMethodBody = Static<typeof AddPaymentMethodBody>;

export const AccountCreditSchema = Type.Object({
  accountId: Uuid,
  currency: Type.String(),
  credit: Type.String({ description: 'payments received and not yet applied to an invoice' }),
  outstanding: Type.String({ description: 'what finalised invoices still owe' }),
  overdue: Type.String({ description: 'what invoices past their due date still owe' }),
});
export type AccountCreditView = Static<typeof AccountCreditSchema>;
