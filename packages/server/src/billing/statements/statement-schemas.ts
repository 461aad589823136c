import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { InvoiceDocument } from '../invoice-document.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Micros = (description: string) =>
  Type.String({ pattern: '^-?\\d+$', description: `${description}, in micro-units (10^-6) of the currency` });
const IsoDate = (description: string) => Type.String({ description: `${description}, YYYY-MM-DD` });
const DayRangeSchema = Type.Object({
  from: IsoDate('first day'),
  to: IsoDate('last day, included'),
});

/** The document the HTML and PDF are rendered from (see billing/invoice-document.ts). */
export const InvoiceDocumentSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('invoice'),
    Type.Literal('credit_note'),
    Type.Literal('statement'),
    Type.Literal('receipt'),
  ]),
  number: Nullable(Type.String()),
  status: Type.Union([
    Type.Literal('preview'),
    Type.Literal('draft'),
    Type.Literal('finalized'),
    Type.Literal('paid'),
    Type.Literal('void'),
  ]),
  language: Type.String(),
  locale: Type.String(),
  currency: Type.String(),
  timeZone: Type.String({ description: 'the IANA zone the days of the document are days of' }),
  issuedOn: IsoDate('day of issue'),
  dueOn: Nullable(Type.String()),
  period: Nullable(DayRangeSchema),
  seller: Type.Object({
    name: Type.String(),
    legalName: Nullable(Type.String()),
    address: Type.Array(Type.String()),
    taxId: Nullable(Type.String()),
    registration: Nullable(Type.String()),
    email: Nullable(Type.String()),
    website: Nullable(Type.String()),
    bankDetails: Nullable(Type.String()),
    logo: Nullable(
      Type.Object({
        mediaType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]),
        base64: Type.String(),
      }),
    ),
  }),
  buyer: Type.Object({
    name: Type.String(),
    accountNumber: Type.String(),
    address: Type.Array(Type.String()),
    taxId: Nullable(Type.String()),
    exemptions: Type.Array(Type.Object({ taxCode: Type.String(), certificate: Type.String() })),
  }),
  lines: Type.Array(
    Type.Object({
      kind: Type.String({
        description: 'on statements and receipts always adjustment: credits positive, debits negative',
      }),
      label: Type.String({
        description:
          'on statements and receipts what the line records: opening_balance, previous_balance, or the ledger transaction kind (topup, voucher, auto_recharge, charge for usage, ...)',
      }),
      service: Nullable(Type.String()),
      subscription: Nullable(
        Type.String({
          description: 'on statements and receipts the reference of the movement, or the usage it sums',
        }),
      ),
      period: Nullable(DayRangeSchema),
      quantity: Nullable(Type.String()),
      unit: Nullable(Type.String()),
      proration: Nullable(Type.String()),
      allowanceUsed: Nullable(Type.String()),
      amountMicros: Micros('the amount'),
      taxes: Type.Array(
        Type.Object({
          code: Type.String(),
          name: Type.String(),
          ratePercent: Type.String(),
          amountMicros: Type.String(),
        }),
      ),
    }),
  ),
  taxSummary: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      ratePercent: Type.String(),
      baseMicros: Type.String(),
      amountMicros: Type.String(),
    }),
  ),
  totals: Type.Object({
    netMicros: Micros('sum of the lines'),
    taxMicros: Micros('taxes'),
    totalMicros: Micros('what is owed; on a statement the closing balance, on a receipt the balance after'),
  }),
  exchangeRates: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      rate: Type.String(),
      source: Type.String(),
      date: Type.String(),
    }),
  ),
  credits: Nullable(Type.Object({ invoiceNumber: Type.String(), reason: Type.String() })),
  itemised: Nullable(
    Type.Array(
      Type.Object({
        startedAt: Type.String(),
        subscription: Type.String(),
        destination: Type.String(),
        service: Type.String(),
        units: Type.String(),
        unit: Type.String(),
        amountMicros: Type.String(),
      }),
    ),
  ),
  notes: Type.Array(Type.String()),
});

export const ReceiptSchema = Type.Object({
  number: Type.String({ description: 'gapless in the series RCT: RCT-000042' }),
  ledgerTransactionId: Type.String({ format: 'uuid' }),
  accountId: Type.String({ format: 'uuid' }),
  issuedAt: Type.String({ format: 'date-time' }),
  document: InvoiceDocumentSchema,
});
export type ReceiptView = Static<typeof ReceiptSchema>;
export type InvoiceDocumentJson = Static<typeof InvoiceDocumentSchema>;

/**
 * The document as its response schema types it: the same shape, but the schema's type has
 * mutable arrays where the document's are read-only, which only an assertion bridges.
 */
export function documentJson(document: InvoiceDocument): InvoiceDocumentJson {
  return document as InvoiceDocumentJson;
}

export const DocumentFormat = Type.Union([Type.Literal('json'), Type.Literal('html'), Type.Literal('pdf')], {
  default: 'json',
  description: 'json: the document; html or pdf: rendered in the customer language',
});

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'required: the first day, in the account time zone',
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'required: the day after the last one (excluded); at most 366 days after from',
      }),
    ),
    format: Type.Optional(DocumentFormat),
  },
  { additionalProperties: false },
);

export const FormatQuery = Type.Object(
  { format: Type.Optional(DocumentFormat) },
  { additionalProperties: false },
);
