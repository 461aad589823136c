import { type Static, Type } from '@sinclair/typebox';

/** The longest period one summary covers: a year and a month's margin, for year-on-year views. */
export const MAX_SUMMARY_DAYS = 400;

const IsoDate = (description: string) =>
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });
const Amount = (description: string) => Type.String({ description: `${description}, an exact decimal` });
const Quantity = Type.String({
  description:
    'whole units as decimal text: seconds of voice, messages, bytes of data, or the service’s units',
});

export const UsageRangeQuery = Type.Object(
  {
    from: Type.Optional(
      IsoDate(
        "the first local day (the account's time zone); default: the first day of the bill cycle holding `to`",
      ),
    ),
    to: Type.Optional(IsoDate('the last local day, included; default: today')),
    subscriptionId: Type.Optional(Type.String({ format: 'uuid', description: 'one line of the account' })),
  },
  { additionalProperties: false },
);
export type UsageRangeQuery = Static<typeof UsageRangeQuery>;

const ServiceQuantity = Type.Object({
  service: Type.String({ description: 'the tariff category: call, sms, data or a custom service' }),
  unit: Type.String({ description: 'seconds, messages, bytes or units' }),
  quantity: Quantity,
});

const Bucket = {
  records: Type.Integer({ description: 'usage events (a rerated event counts once)' }),
  amount: Amount('what the usage costs after allowances'),
  services: Type.Array(ServiceQuantity),
};

export const UsageSummarySchema = Type.Object(
  {
    accountId: Type.String({ format: 'uuid' }),
    subscriptionId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    currency: Type.String(),
    timeZone: Type.String({ description: 'the zone days and hours are counted in' }),
    from: IsoDate('first day'),
    to: IsoDate('last day, included'),
    total: Type.Object({ records: Type.Integer(), amount: Amount('the period’s usage') }),
    services: Type.Array(
      Type.Object({
        service: Type.String(),
        unit: Type.String(),
        records: Type.Integer(),
        quantity: Quantity,
        allowanceQuantity: Type.String({ description: 'the part of the quantity allowances paid for' }),
        amount: Amount('the service’s usage'),
      }),
    ),
    days: Type.Array(Type.Object({ date: IsoDate('a local day'), ...Bucket }), {
      description: 'every day of the period, in order; days without usage have zeros',
    }),
    hours: Type.Array(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), ...Bucket }), {
      description: 'the 24 hours of the day (local time), over the whole period',
    }),
    topDestinations: Type.Array(
      Type.Object({
        destinationId: Type.Union([Type.String(), Type.Null()], {
          description: "the tariff's destination group; null for usage priced without one (online sessions)",
        }),
        name: Type.Union([Type.String(), Type.Null()], { description: 'as the tariff names it' }),
        records: Type.Integer(),
        amount: Amount('the destination’s usage'),
      }),
      { description: 'at most 10, by amount, then by records' },
    ),
  },
  { $id: 'UsageSummary' },
);
export type UsageSummary = Static<typeof UsageSummarySchema>;
