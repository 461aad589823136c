import { type Static, Type } from '@sinclair/typebox';
import { MoneyAmountSchema } from '../accounts/account-schemas.js';

/** The most vouchers one request creates: their codes travel back in one response. */
export const MAX_VOUCHERS_PER_BATCH = 10_000;

export const CreateVoucherBatchBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    amount: Type.String({ ...MoneyAmountSchema, description: 'the value of each voucher, in `currency`' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; only accounts in it can redeem' }),
    count: Type.Integer({ minimum: 1, maximum: MAX_VOUCHERS_PER_BATCH }),
    expiresAt: Type.String({
      format: 'date-time',
      description: 'no voucher of the batch is redeemable from then on',
    }),
  },
  { additionalProperties: false },
);
export type CreateVoucherBatchBody = Static<typeof CreateVoucherBatchBody>;

export const VoucherBatchSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    currency: Type.String(),
    amount: Type.String(),
    count: Type.Integer(),
    expiresAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    active: Type.Integer({ description: 'vouchers not yet redeemed (redeemable until expiresAt)' }),
    redeemed: Type.Integer(),
    void: Type.Integer(),
  },
  { $id: 'VoucherBatch' },
);
export type VoucherBatch = Static<typeof VoucherBatchSchema>;

export const CreatedVoucherBatchSchema = Type.Object({
  batch: VoucherBatchSchema,
  codes: Type.Array(Type.Object({ serial: Type.Integer(), code: Type.String() }), {
    description: 'the codes, shown this once: only their hashes are stored',
  }),
});
export type CreatedVoucherBatch = Static<typeof CreatedVoucherBatchSchema>;

export const RedeemVoucherBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'as printed; spaces and dashes are ignored',
    }),
  },
  { additionalProperties: false },
);
export type RedeemVoucherBody = Static<typeof RedeemVoucherBody>;
