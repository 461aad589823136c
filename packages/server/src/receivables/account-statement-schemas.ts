import { type Static, Type } from '@sinclair/typebox';

const Amount = (description: string) =>
  Type.String({ description: `${description}, exact decimal in the account's currency` });
const IsoDate = (description: string) => Type.String({ description: `${description}, YYYY-MM-DD` });

export const AccountStatementQuery = Type.Object(
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
  },
  { additionalProperties: false },
);
export type AccountStatementQuery = Static<typeof AccountStatementQuery>;

export const StatementEntryKindSchema = Type.Union([
  Type.Literal('invoice'),
  Type.Literal('credit_note'),
  Type.Literal('void'),
  Type.Literal('write_off'),
  Type.Literal('marked_paid'),
  Type.Literal('payment'),
  Type.Literal('refund'),
  Type.Literal('chargeback'),
]);

export const AccountStatementSchema = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  accountNumber: Type.String(),
  customerName: Type.String(),
  currency: Type.String(),
  timeZone: Type.String({ description: 'the IANA zone the dates are days of' }),
  issuedOn: IsoDate('the day the statement was made'),
  period: Type.Object({ from: IsoDate('first day'), to: IsoDate('last day, included') }),
  openingBalance: Amount('what the customer owed at the start of the first day (negative: in credit)'),
  lines: Type.Array(
    Type.Object({
      date: IsoDate('the day it happened'),
      kind: StatementEntryKindSchema,
      reference: Type.Union([Type.String(), Type.Null()], {
        description: 'the document number, or the reference the payer gave of a payment',
      }),
      description: Type.String(),
      documentId: Type.String({
        format: 'uuid',
        description: 'the invoice, credit note, payment or reversal',
      }),
      amount: Amount('what it adds to the balance owed (negative: a credit)'),
      balance: Amount('the balance owed after it'),
    }),
  ),
  totals: Type.Object({
    debits: Amount('the lines that add to the balance (invoices, refunds, chargebacks), summed'),
    credits: Amount(
      'the lines that take from it (payments, credit notes, write-offs, voids), summed as a positive amount',
    ),
  }),
  closingBalance: Amount(
    'the opening balance plus every line: what the customer owed at the end of the last day',
  ),
});
export type AccountStatementView = Static<typeof AccountStatementSchema>;
