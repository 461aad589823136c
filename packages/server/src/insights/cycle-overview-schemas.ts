import { type Static, Type } from '@sinclair/typebox';

const Amount = (description: string) => Type.String({ description: `${description}, an exact decimal` });
const IsoDate = (description: string) =>
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const Figures = (what: string) =>
  Type.Object({
    usage: Amount(`usage ${what}, after allowances`),
    recurring: Amount(`the recurring fees of the lines' plans for the cycle's days`),
    total: Amount('usage and recurring fees (before taxes, discounts and one-time charges)'),
  });

export const CycleOverviewSchema = Type.Object(
  {
    accountId: Type.String({ format: 'uuid' }),
    currency: Type.String(),
    timeZone: Type.String(),
    asOf: Instant,
    cycle: Type.Object({
      start: IsoDate('the first day of the cycle (local)'),
      end: IsoDate('the last day of the cycle (local), included'),
      startsAt: Instant,
      endsAt: Type.String({ format: 'date-time', description: 'the first instant after the cycle' }),
      daysElapsed: Type.Integer({ description: 'days of the cycle so far, today included' }),
      daysTotal: Type.Integer(),
    }),
    spend: Figures('so far this cycle'),
    estimate: Figures('projected to the end of the cycle: so far × days total ÷ days elapsed'),
    recurringFees: Type.Array(
      Type.Object({
        subscriptionId: Type.String({ format: 'uuid' }),
        line: Type.String({ description: "the line's first identifier" }),
        planId: Type.String({ format: 'uuid' }),
        label: Type.String({ description: "the plan's name" }),
        from: IsoDate('first day charged'),
        to: IsoDate('last day charged, included'),
        days: Type.Integer(),
        windowDays: Type.Integer({ description: "days of the plan's fee period the fee is prorated over" }),
        fee: Amount('the fee per fee period'),
        amount: Amount("the fee for these days, rounded to the currency's minor unit"),
      }),
    ),
    allowances: Type.Array(
      Type.Object({
        bucketId: Type.String({ format: 'uuid' }),
        subscriptionId: Nullable(Type.String({ format: 'uuid' })),
        line: Nullable(Type.String()),
        service: Nullable(Type.String({ description: 'the tariff category it pays for; null: any' })),
        unit: Type.String({ description: 'seconds, messages, bytes, units or a currency code' }),
        label: Nullable(Type.String()),
        total: Type.String({ description: 'granted, in the unit (micro-units for money)' }),
        used: Type.String(),
        remaining: Type.String(),
        validFrom: Instant,
        validTo: Nullable(Instant),
      }),
    ),
    balance: Type.Object({
      main: Amount('the main money balance (negative: owed on credit)'),
      availableToSpend: Type.Union([Type.String(), Type.Null()], { description: 'null: no limit' }),
      creditLimit: Type.Union([Type.String(), Type.Null()]),
    }),
    alerts: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String({ description: 'allowance_used, cycle_spend, balance_below, credit_used, ...' }),
        level: Type.String({ description: 'the level crossed: a percentage or an amount in micro-units' }),
        subject: Type.String({
          description: "what crossed it: an allowance bucket, or '' for the account or line",
        }),
        subscriptionId: Nullable(Type.String({ format: 'uuid' })),
        observed: Type.Unknown(),
        firedAt: Instant,
      }),
      { description: 'thresholds fired since the cycle started, newest first' },
    ),
  },
  { $id: 'CycleOverview' },
);
export type CycleOverview = Static<typeof CycleOverviewSchema>;
