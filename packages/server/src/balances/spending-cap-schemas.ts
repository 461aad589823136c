import { type Static, Type } from '@sinclair/typebox';
import { MoneyAmountSchema } from '../accounts/account-schemas.js';

const Period = Type.Union([Type.Literal('day'), Type.Literal('month')], {
  description: "the cap's period, a calendar day or month in the account's time zone",
});

const WhenReached = Type.Union([Type.Literal('refuse'), Type.Literal('essential_only')], {
  description:
    "at the cap: 'refuse' every chargeable request, or 'essential_only': still serve emergency numbers and allowedDestinations (usage priced at zero is never refused by a cap)",
});

const AllowedDestinations = Type.Array(
  Type.String({
    pattern: '^[+]?[0-9]{1,20}$',
    description: 'a number as dialled: digits, optionally after +',
  }),
  { maxItems: 100, uniqueItems: true, description: "served at the cap under 'essential_only'" },
);

export const SpendingCapBody = Type.Object(
  {
    limit: MoneyAmountSchema,
    period: Period,
    whenReached: Type.Optional(WhenReached),
    allowedDestinations: Type.Optional(AllowedDestinations),
  },
  { additionalProperties: false },
);
export type SpendingCapBody = Static<typeof SpendingCapBody>;

export const SpendingCapSchema = Type.Object(
  {
    subscriptionId: Type.String({ format: 'uuid' }),
    accountId: Type.String({ format: 'uuid' }),
    limit: Type.String({ description: 'most the line may spend per period, in the account currency' }),
    period: Period,
    periodStart: Type.String({ format: 'date-time', description: 'start of the period being counted' }),
    spent: Type.String(),
    reserved: Type.String({ description: "held by the line's pending reservations" }),
    remaining: Type.String({ description: 'limit less spent and reserved, never below zero' }),
    whenReached: WhenReached,
    allowedDestinations: AllowedDestinations,
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SpendingCap' },
);
export type SpendingCap = Static<typeof SpendingCapSchema>;
