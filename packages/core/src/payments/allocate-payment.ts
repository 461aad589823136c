/**
 * How money received is spread over an account's open invoices, and taken back again. Pure:
 * the server reads the open invoices and the allocations under the account's lock, calls these,
 * and writes what they return.
 */

/** An invoice that still has something to pay. */
export interface OpenInvoice {
  readonly invoiceId: string;
  /** ISO date; invoices due first are paid first. */
  readonly dueOn: string;
  /** Tie-break among invoices due the same day: the older number first. */
  readonly sequence: bigint;
  readonly outstandingMicros: bigint;
}

export interface Allocation {
  readonly invoiceId: string;
  /** Positive when paying an invoice, negative when taking an amount back from it. */
  readonly amountMicros: bigint;
}

export interface PaymentSpread {
  readonly allocations: readonly Allocation[];
  /** What no invoice needed: it stays on the account as credit for the next invoices. */
  readonly unallocatedMicros: bigint;
}

/**
 * Spreads `amountMicros` over the invoices: the chosen one first (when given), then the others by
 * due date, oldest first. Nothing is allocated beyond an invoice's outstanding amount.
 */
export function spreadPayment(
  amountMicros: bigint,
  invoices: readonly OpenInvoice[],
  chosenInvoiceId: string | null = null,
): PaymentSpread {
  if (amountMicros < 0n) throw new RangeError('spreadPayment: a payment is never negative');
  const ordered = [...invoices].sort(
    (a, b) =>
      Number(b.invoiceId === chosenInvoiceId) - Number(a.invoiceId === chosenInvoiceId) ||
      a.dueOn.localeCompare(b.dueOn) ||
      (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0),
  );
  const allocations: Allocation[] = [];
  let left = amountMicros;
  for (const invoice of ordered) {
    if (left === 0n) break;
    if (invoice.outstandingMicros <= 0n) continue;
    const amount = invoice.outstandingMicros < left ? invoice.outstandingMicros : left;
    allocations.push({ invoiceId: invoice.invoiceId, amountMicros: amount });
    left -= amount;
  }
  return { allocations, unallocatedMicros: left };
}

/** What a payment has paid towards one invoice, net of what was taken back already. */
export interface PaidInvoice {
  readonly invoiceId: string;
  readonly paidMicros: bigint;
  /** The later the allocation, the sooner it is taken back. */
  readonly lastAllocatedAt: number;
}

/**
 * Takes `amountMicros` back from a payment (a refund, a chargeback): first from what the payment
 * left unallocated (the account's credit), then from the invoices it paid, most recent first,
 * which reopens them. Returns the negative allocations to write.
 */
export function takeBackPayment(
  amountMicros: bigint,
  unallocatedMicros: bigint,
  paid: readonly PaidInvoice[],
): Allocation[] {
  if (amountMicros <= 0n) throw new RangeError('takeBackPayment: the amount must be positive');
  const available = paid.reduce((sum, invoice) => sum + invoice.paidMicros, unallocatedMicros);
  if (amountMicros > available)
    throw new RangeError(`takeBackPayment: ${amountMicros} is more than the payment's ${available}`);
  let left = amountMicros - (unallocatedMicros < amountMicros ? unallocatedMicros : amountMicros);
  const allocations: Allocation[] = [];
  const newestFirst = [...paid].sort((a, b) => b.lastAllocatedAt - a.lastAllocatedAt);
  for (const invoice of newestFirst) {
    if (left === 0n) break;
    if (invoice.paidMicros <= 0n) continue;
    const amount = invoice.paidMicros < left ? invoice.paidMicros : left;
    allocations.push({ invoiceId: invoice.invoiceId, amountMicros: -amount });
    left -= amount;
  }
  return allocations;
}
