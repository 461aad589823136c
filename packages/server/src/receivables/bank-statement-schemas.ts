import { type Static, Type } from '@sinclair/typebox';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const ColumnName = (column: string) =>
  Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: `header of the ${column} column; default "${column}"`,
    }),
  );

export const BankStatementOptions = Type.Object(
  {
    delimiter: Type.Optional(
      Type.Union([Type.Literal(','), Type.Literal(';'), Type.Literal('\t')], {
        description: 'default: whichever of , ; and tab the header line holds most of',
      }),
    ),
    decimalSeparator: Type.Optional(
      Type.Union([Type.Literal('.'), Type.Literal(',')], {
        description: 'default "."; the other one may group thousands in threes (1.234,56)',
      }),
    ),
    dateFormat: Type.Optional(
      Type.Union([Type.Literal('YYYY-MM-DD'), Type.Literal('DD.MM.YYYY'), Type.Literal('DD/MM/YYYY')], {
        description: 'default YYYY-MM-DD',
      }),
    ),
    columns: Type.Optional(
      Type.Object(
        {
          date: ColumnName('date'),
          amount: ColumnName('amount'),
          currency: ColumnName('currency'),
          reference: ColumnName('reference'),
          counterparty: ColumnName('counterparty'),
        },
        { additionalProperties: false, description: 'header names, matched without regard to case' },
      ),
    ),
    currency: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{3}$',
        description: 'the currency of lines that name none (files without a currency column)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BankStatementOptions = Static<typeof BankStatementOptions>;

export const ImportBankStatementBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    content: Type.String({ minLength: 1, description: 'the CSV text of the file, header first' }),
    options: Type.Optional(BankStatementOptions),
    dryRun: Type.Optional(
      Type.Boolean({
        description:
          'match and count, then roll everything back (200): try the options before the file is taken for good',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ImportBankStatementBody = Static<typeof ImportBankStatementBody>;

export const MatchedAmountSchema = Type.Object({ currency: Type.String(), amount: Type.String() });

export const BankStatementImportSchema = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  sha256: Type.String({ description: 'of the content; a file is imported once' }),
  lines: Type.Integer(),
  matched: Type.Integer({ description: 'lines that recorded a payment (on import or on review)' }),
  unmatched: Type.Integer({ description: 'lines waiting for review' }),
  ignored: Type.Integer({ description: 'outgoing lines, and lines a reviewer ignored' }),
  matchedAmounts: Type.Array(MatchedAmountSchema, { description: 'the payments recorded, per currency' }),
  importedAt: Type.String({ format: 'date-time' }),
});
export type BankStatementImportView = Static<typeof BankStatementImportSchema>;

export const BankLineStatusSchema = Type.Union([
  Type.Literal('matched'),
  Type.Literal('unmatched'),
  Type.Literal('ignored'),
]);

export const BankStatementLineSchema = Type.Object({
  id: Uuid,
  importId: Uuid,
  lineNumber: Type.Integer({ description: 'in the file; the header is line 1' }),
  bookedOn: Type.String({ description: 'YYYY-MM-DD; the import day when the date could not be read' }),
  amount: Type.String({ description: 'negative: money going out; 0 when the amount could not be read' }),
  currency: Type.String({ description: 'XXX when the currency could not be read' }),
  reference: Type.String(),
  counterparty: Type.String(),
  status: BankLineStatusSchema,
  reason: Nullable(Type.String({ description: 'why it is unmatched or ignored' })),
  invoiceId: Type.Union([Uuid, Type.Null()]),
  paymentId: Type.Union([Uuid, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type BankStatementLineView = Static<typeof BankStatementLineSchema>;

export const BankLineListQuery = Type.Object({
  status: Type.Optional(BankLineStatusSchema),
  importId: Type.Optional(Uuid),
});

export const MatchBankLineBody = Type.Object(
  {
    invoiceId: Type.Optional(
      Type.String({ format: 'uuid', description: 'pay this invoice first, then the oldest due' }),
    ),
    accountId: Type.Optional(
      Type.String({ format: 'uuid', description: "pay this account's invoices, oldest due first" }),
    ),
  },
  { additionalProperties: false, description: 'exactly one of invoiceId and accountId' },
);
export type MatchBankLineBody = Static<typeof MatchBankLineBody>;

export const IgnoreBankLineBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000, description: 'why the line needs no payment' }) },
  { additionalProperties: false },
);
export type IgnoreBankLineBody = Static<typeof IgnoreBankLineBody>;
