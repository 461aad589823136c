import type { InvoiceStatus } from './billing-tables.js';

interface InvoiceAmounts {
  readonly kind: 'invoice' | 'credit_note';
  readonly status: InvoiceStatus;
  readonly total_micros: bigint;
  readonly credited_micros: bigint;
  readonly paid_micros: bigint;
}

/**
 * What the customer still owes on an invoice: its total less what credit notes took back and
 * payments paid. Only a finalised invoice is owed; a draft is not yet, a paid, void or
 * uncollectible one no longer, and a credit note never.
 */
export function invoiceOutstandingMicros(invoice: InvoiceAmounts): bigint {
  if (invoice.kind !== 'invoice' || invoice.status !== 'finalized') return 0n;
  const owed = BigInt(invoice.total_micros) - BigInt(invoice.credited_micros) - BigInt(invoice.paid_micros);
  return owed > 0n ? owed : 0n;
}
