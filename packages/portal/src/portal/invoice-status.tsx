import { useMessages } from '../i18n/messages.js';
import { isPositive } from '../ui/exact-decimal.js';
import { invoiceTexts } from './invoice-texts.js';
import type { Invoice } from './portal-api.js';

type Tone = 'ok' | 'warn' | 'bad' | 'neutral';
type StatusKey =
  | 'creditNote'
  | 'statusDraft'
  | 'statusOpen'
  | 'statusOverdue'
  | 'statusPaid'
  | 'statusVoid'
  | 'statusUncollectible';

/** Whether the customer can still pay the invoice: issued, and something is left to pay. */
export function isPayable(invoice: Invoice): boolean {
  return invoice.kind === 'invoice' && invoice.status === 'finalized' && isPositive(invoice.amountDue);
}

/** The status a customer understands: open and overdue rather than "finalized". */
export function invoiceStatus(invoice: Invoice, todayIso: string): { key: StatusKey; tone: Tone } {
  if (invoice.kind === 'credit_note') return { key: 'creditNote', tone: 'neutral' };
  switch (invoice.status) {
    case 'draft':
      return { key: 'statusDraft', tone: 'neutral' };
    case 'void':
      return { key: 'statusVoid', tone: 'neutral' };
    case 'uncollectible':
      return { key: 'statusUncollectible', tone: 'bad' };
    case 'paid':
      return { key: 'statusPaid', tone: 'ok' };
    case 'finalized':
      if (!isPositive(invoice.amountDue)) return { key: 'statusPaid', tone: 'ok' };
      if (invoice.dueOn !== null && invoice.dueOn < todayIso) return { key: 'statusOverdue', tone: 'bad' };
      return { key: 'statusOpen', tone: 'warn' };
  }
}

/** The status as a badge: its words carry the meaning, the colour only repeats it. */
export function InvoiceStatusBadge({ invoice, todayIso }: { invoice: Invoice; todayIso: string }) {
  const t = useMessages(invoiceTexts);
  const status = invoiceStatus(invoice, todayIso);
  return <span className={`badge ${status.tone}`}>{t(status.key)}</span>;
}
