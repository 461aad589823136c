import type { InvoiceDocumentLine } from '../invoice-document.js';
import type { BalanceMovement } from '../render/invoice-messages.js';

export interface BalanceMovementFacts {
  readonly movement: BalanceMovement;
  /**
   * What identifies the movement to its reader: a top-up's reference and method, the kind of
   * usage a day's charges were for. Printed under the movement, where an invoice prints a line's
   * subscription.
   */
  readonly detail: string | null;
  /** ISO date in the account's zone; null for a balance carried from before. */
  readonly day: string | null;
  /** Positive: money into the balance. */
  readonly amountMicros: bigint;
}

/**
 * One line of a statement or a receipt. Its kind is `adjustment` (signed: credits positive,
 * debits negative) and its label the movement, which the renderer words in the document's
 * language; no tax, no quantity.
 */
export function balanceMovementLine(facts: BalanceMovementFacts): InvoiceDocumentLine {
  return {
    kind: 'adjustment',
    label: facts.movement,
    service: null,
    subscription: facts.detail,
    period: facts.day === null ? null : { from: facts.day, to: facts.day },
    quantity: null,
    unit: null,
    proration: null,
    allowanceUsed: null,
    amountMicros: String(facts.amountMicros),
    taxes: [],
  };
}

/** A top-up's reference and how it was made ("PAY-42 · payment"), as far as they are known. */
export function movementDetail(reference: string | null, description: string | null): string | null {
  const parts = [reference, description].filter((part): part is string => part !== null && part !== '');
  return parts.length === 0 ? null : parts.join(' · ');
}
