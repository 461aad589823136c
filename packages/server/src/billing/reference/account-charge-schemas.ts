import { type Static, Type } from '@sinclair/typebox';

export const AddAccountChargeBody = Type.Object(
  {
    code: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$',
      description: 'what it is for, e.g. installation, router, goodwill',
    }),
    description: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'printed on the invoice line',
    }),
    amount: Type.String({
      pattern: '^-?\\d{1,12}(\\.\\d{1,6})?$',
      description: 'exact decimal in the account currency, not zero; negative for a credit (goodwill)',
      examples: ['49.00', '-10.00'],
    }),
    subscriptionId: Type.Optional(
      Type.String({ format: 'uuid', description: 'the line it belongs to, a subscription of this account' }),
    ),
    taxCategory: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_-]{0,39}$',
        description: 'the category tax rules know it by (default one_time)',
      }),
    ),
    chargedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'its date on the invoice (default now)' }),
    ),
  },
  { additionalProperties: false },
);
export type AddAccountChargeBody = Static<typeof AddAccountChargeBody>;

export const AccountChargeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    subscriptionId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    code: Type.String(),
    description: Type.String(),
    amount: Type.String(),
    currency: Type.String(),
    taxCategory: Type.String(),
    chargedAt: Type.String({ format: 'date-time' }),
    invoiceId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'the invoice that took it; null while it waits for the next one',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AccountCharge' },
);
export type AccountCharge = Static<typeof AccountChargeSchema>;

export const AccountChargeListQuery = Type.Object(
  {
    open: Type.Optional(
      Type.Boolean({ description: 'true: only charges no invoice has taken yet; false: only invoiced ones' }),
    ),
  },
  { additionalProperties: false },
);
