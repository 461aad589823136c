import { type Static, Type } from '@sinclair/typebox';
import { MoneyAmountSchema } from '../accounts/account-schemas.js';

export const AutoRechargeBody = Type.Object(
  {
    threshold: Type.String({
      ...MoneyAmountSchema,
      description: 'recharge when the main balance available falls below this',
    }),
    amount: Type.String({ ...MoneyAmountSchema, description: 'how much each recharge collects and credits' }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AutoRechargeBody = Static<typeof AutoRechargeBody>;

export const AutoRechargeSchema = Type.Object(
  {
    accountId: Type.String({ format: 'uuid' }),
    threshold: Type.String(),
    amount: Type.String(),
    enabled: Type.Boolean(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AutoRecharge' },
);
export type AutoRecharge = Static<typeof AutoRechargeSchema>;
