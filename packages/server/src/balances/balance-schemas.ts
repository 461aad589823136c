import { type Static, Type } from '@sinclair/typebox';
import { MoneyAmountSchema } from '../accounts/account-schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });

/** A signed decimal amount: adjustments credit (positive) or debit (negative). */
export const SignedMoneyAmountSchema = Type.String({
  pattern: '^-?\\d{1,12}(\\.\\d{1,6})?$',
  description: 'an exact signed decimal amount in the account currency: "5.00" credits, "-5.00" debits',
  examples: ['-5.00'],
});

const AMOUNT_TEXT =
  'money as an exact decimal string in the currency ("12.50"); seconds, bytes, messages and units as a whole number string ("3600")';
const AmountText = Type.String({ description: AMOUNT_TEXT });

export const BucketSchema = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('money'), Type.Literal('allowance')]),
    unit: Type.String({ description: 'ISO 4217 code for money, else seconds, bytes, messages or units' }),
    service: Type.Union([Type.String(), Type.Null()], {
      description: 'the one service it pays for; null: any',
    }),
    subscriptionId: Type.Union([Uuid, Type.Null()], {
      description: 'the one line it serves; null: every line',
    }),
    isMain: Type.Boolean({
      description: "the account's main money bucket, to which the credit limit applies",
    }),
    label: Type.Union([Type.String(), Type.Null()]),
    priority: Type.Integer({ description: 'lower is spent first' }),
    validFrom: Instant,
    validTo: Type.Union([Instant, Type.Null()]),
    balance: AmountText,
    reserved: Type.String({ description: 'held by pending reservations of charging sessions' }),
    available: Type.Union([AmountText, Type.Null()], {
      description:
        'balance less reserved, down to the floor (zero, or minus the credit limit); null: no limit',
    }),
  },
  { $id: 'BalanceBucket' },
);
export type BucketView = Static<typeof BucketSchema>;

export const AccountBalanceSchema = Type.Object(
  {
    accountId: Uuid,
    currency: Type.String(),
    mainBalance: Type.String({ description: 'the main money bucket, which may be negative on credit' }),
    creditLimit: Type.Union([Type.String(), Type.Null()]),
    availableToSpend: Type.Union([Type.String(), Type.Null()], {
      description:
        'money the account can spend on any service now: its main bucket and unrestricted money buckets, less reservations, down to their floors; null: no limit',
    }),
    buckets: Type.Array(BucketSchema),
  },
  { $id: 'AccountBalance' },
);
export type AccountBalance = Static<typeof AccountBalanceSchema>;

export const LedgerEntrySchema = Type.Object({
  bucketId: Type.Union([Uuid, Type.Null()]),
  book: Type.String({ description: "account (a bucket), or the tenant's book on the other side" }),
  unit: Type.String(),
  amount: Type.String({ description: 'signed: positive raises the bucket (a credit to the customer)' }),
});

export const LedgerTransactionSchema = Type.Object(
  {
    id: Uuid,
    accountId: Uuid,
    kind: Type.String({
      description: 'topup, voucher, adjustment, grant, charge, refund, expiry, reversal or auto_recharge',
    }),
    reference: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
    reversesId: Type.Union([Uuid, Type.Null()]),
    createdAt: Instant,
    entries: Type.Array(LedgerEntrySchema),
  },
  { $id: 'LedgerTransaction' },
);
export type LedgerTransactionView = Static<typeof LedgerTransactionSchema>;

export const TopUpBody = Type.Object(
  {
    amount: MoneyAmountSchema,
    method: Type.Union([Type.Literal('payment'), Type.Literal('operator')], {
      description: 'payment: money the customer paid; operator: credited by hand',
    }),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'e.g. a payment id' })),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TopUpBody = Static<typeof TopUpBody>;

export const AdjustmentBody = Type.Object(
  {
    amount: SignedMoneyAmountSchema,
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'kept as the description' }),
  },
  { additionalProperties: false },
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

export const AllowanceBody = Type.Object(
  {
    unit: Type.String({
      pattern: '^([A-Z]{3}|seconds|bytes|messages|units)$',
      description: 'seconds, bytes, messages, units, or the account currency for a money allowance',
    }),
    amount: Type.String({ pattern: '^\\d{1,18}(\\.\\d{1,6})?$', description: AMOUNT_TEXT }),
    service: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'the tariff category it is limited to' }),
    ),
    subscriptionId: Type.Optional(Type.String({ format: 'uuid', description: 'the one line it serves' })),
    validFrom: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
    validTo: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive; default: no end' })),
    priority: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 999, description: 'lower is spent first (default 100)' }),
    ),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type AllowanceBody = Static<typeof AllowanceBody>;

export const AllowanceGrantSchema = Type.Object({
  bucket: BucketSchema,
  transaction: LedgerTransactionSchema,
});

export const ReversalBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ReversalBody = Static<typeof ReversalBody>;

export const LedgerPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    order: Type.Optional(
      Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
        default: 'desc',
        description: 'by posting time; newest first by default',
      }),
    ),
  },
  { additionalProperties: false },
);
