import { formatMoneyAmount } from '../accounts/money-amount.js';

/** The data of an invoice.finalized webhook event, whether a bill run or a person finalised it. */
export function invoiceFinalizedData(invoice: {
  readonly id: string;
  readonly accountId: string;
  readonly number: string | null;
  readonly currency: string;
  readonly totalMicros: bigint;
  readonly issuedOn: string | null;
  readonly dueOn: string | null;
}): Record<string, unknown> {
  return {
    invoiceId: invoice.id,
    accountId: invoice.accountId,
    number: invoice.number,
    currency: invoice.currency,
    total: formatMoneyAmount(invoice.totalMicros, invoice.currency),
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
  };
}
