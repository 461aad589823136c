import type { InvoiceDocument } from '../invoice-document.js';
import type { BalanceMovement } from '../render/invoice-messages.js';
import { balanceMovementLine } from './balance-movement-line.js';
import type { DocumentHeader } from './load-document-parties.js';

export interface ReceiptFacts {
  readonly number: string;
  /** ISO dates in the account's zone. */
  readonly issuedOn: string;
  readonly paidOn: string;
  readonly movement: BalanceMovement;
  /** The reference and method of the payment or voucher. */
  readonly detail: string | null;
  readonly amountMicros: bigint;
  readonly balanceAfterMicros: bigint;
}

/**
 * A receipt for money put on a balance, laid out as a statement of that one movement: the
 * balance before, the amount received with its reference and day, and the balance after as the
 * total. Like a statement it carries no tax: a top-up is a payment in advance, not a taxable
 * supply in this model.
 */
export function receiptDocumentOf(header: DocumentHeader, facts: ReceiptFacts): InvoiceDocument {
  const before = facts.balanceAfterMicros - facts.amountMicros;
  const after = String(facts.balanceAfterMicros);
  return {
    kind: 'receipt',
    number: facts.number,
    status: 'finalized',
    ...header,
    issuedOn: facts.issuedOn,
    dueOn: null,
    period: null,
    lines: [
      balanceMovementLine({ movement: 'previous_balance', detail: null, day: null, amountMicros: before }),
      balanceMovementLine({
        movement: facts.movement,
        detail: facts.detail,
        day: facts.paidOn,
        amountMicros: facts.amountMicros,
      }),
    ],
    taxSummary: [],
    totals: { netMicros: after, taxMicros: '0', totalMicros: after },
    exchangeRates: [],
    credits: null,
    itemised: null,
  };
}
