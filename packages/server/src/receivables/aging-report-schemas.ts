import { type Static, Type } from '@sinclair/typebox';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Amount = (description: string) =>
  Type.String({ description: `${description}, exact decimal in the currency` });

export const AGING_REPORT_MAX_PAGE = 1_000;
export const AGING_REPORT_DEFAULT_PAGE = 200;

export const AgingReportQuery = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description:
          "the day days past due are counted to, YYYY-MM-DD; default: today in the tenant's time zone",
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: AGING_REPORT_MAX_PAGE,
        default: AGING_REPORT_DEFAULT_PAGE,
        description: 'account rows a page',
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type AgingReportQuery = Static<typeof AgingReportQuery>;

export const AgingBucketsSchema = Type.Object({
  current: Amount('not yet due'),
  days_1_30: Amount('1 to 30 days past due'),
  days_31_60: Amount('31 to 60 days past due'),
  days_61_90: Amount('61 to 90 days past due'),
  days_over_90: Amount('more than 90 days past due'),
});

export const AgingAccountSchema = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  accountNumber: Type.String(),
  customerName: Type.String(),
  currency: Type.String(),
  buckets: AgingBucketsSchema,
  outstanding: Amount('what finalised invoices still owe: the sum of the buckets'),
  unappliedCredit: Amount('payments received and not applied to any invoice'),
});

export const AgingTotalSchema = Type.Object({
  currency: Type.String(),
  accounts: Type.Integer({ description: 'accounts in the report in this currency' }),
  buckets: AgingBucketsSchema,
  outstanding: Amount('the sum of the buckets'),
  unappliedCredit: Amount('the unapplied credit of the accounts, summed'),
});

export const AgingReportSchema = Type.Object({
  asOf: IsoDate,
  accounts: Type.Array(AgingAccountSchema, {
    description: 'by account number; one row per account and currency',
  }),
  totals: Type.Array(AgingTotalSchema, {
    description: 'per currency, over every account (not only this page)',
  }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AgingReportView = Static<typeof AgingReportSchema>;
