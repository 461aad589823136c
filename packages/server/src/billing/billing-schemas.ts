import { type Static, Type } from '@sinclair/typebox';

const Micros = (description: string) =>
  Type.String({ pattern: '^-?\\d+$', description: `${description}, in micro-units (10^-6) of the currency` });
const Amount = (description: string) => Type.String({ description: `${description}, exact decimal` });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const InvoiceStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('finalized'),
  Type.Literal('paid'),
  Type.Literal('void'),
  Type.Literal('uncollectible'),
]);

export const InvoiceLineSchema = Type.Object({
  position: Type.Integer(),
  kind: Type.String({
    description:
      'recurring, recurring_credit, one_time, usage, late_usage, discount, minimum_commitment, adjustment',
  }),
  label: Type.String(),
  service: Nullable(Type.String()),
  taxCategory: Type.String(),
  subscriptionId: Nullable(Type.String({ format: 'uuid' })),
  planId: Nullable(Type.String({ format: 'uuid' })),
  discountId: Nullable(Type.String({ format: 'uuid' })),
  periodFrom: Nullable(Type.String({ description: 'first day, ISO date in the account zone' })),
  periodTo: Nullable(Type.String({ description: 'last day included' })),
  quantity: Nullable(Type.String()),
  unit: Nullable(Type.String()),
  allowanceUnits: Nullable(Type.String()),
  amount: Amount('net, rounded to the minor unit'),
  amountMicros: Micros('net'),
  tax: Amount('taxes of the line'),
  taxes: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      ratePercent: Type.String(),
      amountMicros: Type.String(),
    }),
  ),
  usageRecords: Nullable(Type.String({ description: 'for usage lines: where its rated records are listed' })),
});

export const InvoiceSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  accountId: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
  status: InvoiceStatusSchema,
  number: Nullable(Type.String()),
  currency: Type.String(),
  language: Type.String(),
  periodFrom: Nullable(Type.String()),
  periodTo: Nullable(Type.String({ description: 'last day included' })),
  issuedOn: Nullable(Type.String()),
  dueOn: Nullable(Type.String()),
  net: Amount('sum of the lines'),
  tax: Amount('taxes'),
  total: Amount('what the customer owes (negative on a credit note)'),
  credited: Amount('taken back by credit notes'),
  paid: Amount('paid by payments so far'),
  amountDue: Amount('what is still owed: total less credited and paid (0 unless finalized)'),
  creditsInvoiceId: Nullable(Type.String({ format: 'uuid' })),
  reason: Nullable(Type.String()),
  billRunId: Nullable(Type.String({ format: 'uuid' })),
  createdAt: Type.String({ format: 'date-time' }),
  finalizedAt: Nullable(Type.String({ format: 'date-time' })),
  paidAt: Nullable(Type.String({ format: 'date-time' })),
  voidedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type InvoiceView = Static<typeof InvoiceSchema>;

export const InvoiceDetailSchema = Type.Object({
  ...InvoiceSchema.properties,
  lines: Type.Array(InvoiceLineSchema),
  taxSummary: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      ratePercent: Type.String(),
      baseMicros: Type.String(),
      amountMicros: Type.String(),
    }),
  ),
  exchangeRates: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      rate: Type.String(),
      source: Type.String(),
      date: Type.String(),
    }),
  ),
});
export type InvoiceDetailView = Static<typeof InvoiceDetailSchema>;

export const InvoiceListQuery = Type.Object(
  {
    accountId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(InvoiceStatusSchema),
    kind: Type.Optional(Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')])),
    billRunId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export const VoidBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const CreditNoteBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            position: Type.Integer({ minimum: 1 }),
            amount: Type.Optional(
              Type.String({
                pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
                description: 'net to credit; default: all that is left',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 1000 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const StartBillRunBody = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'bill every account whose cycle ended by then (default now)',
      }),
    ),
    dryRun: Type.Optional(
      Type.Boolean({ description: 'preview the invoices; write nothing else', default: false }),
    ),
    finalize: Type.Optional(
      Type.Boolean({
        description: 'number and finalise the invoices (default); false leaves drafts',
        default: true,
      }),
    ),
  },
  { additionalProperties: false },
);

export const BillRunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  asOf: Type.String({ format: 'date-time' }),
  dryRun: Type.Boolean(),
  finalize: Type.Boolean(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done')]),
  accounts: Type.Integer(),
  pending: Type.Integer(),
  invoiced: Type.Integer(),
  skipped: Type.Integer(),
  parked: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const BillRunAccountSchema = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('invoiced'),
    Type.Literal('skipped'),
    Type.Literal('parked'),
  ]),
  reason: Nullable(Type.String()),
  invoiceId: Nullable(Type.String({ format: 'uuid' })),
  previewTotal: Nullable(Type.String({ description: 'dry runs: the total the invoice would have' })),
  attempts: Type.Integer(),
});

export const BillRunAccountQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('invoiced'),
        Type.Literal('skipped'),
        Type.Literal('parked'),
      ]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    after: Type.Optional(
      Type.String({ format: 'uuid', description: 'the last account id of the previous page' }),
    ),
  },
  { additionalProperties: false },
);
