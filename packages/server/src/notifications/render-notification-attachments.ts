import type { Kysely } from 'kysely';
import { findInvoice } from '../billing/invoice-store.js';
import { renderInvoicePdf } from '../billing/render/render-invoice-pdf.js';
import { renderingOf } from '../billing/render-options-of.js';
import type { Database } from '../db/database-schema.js';
import type { OutgoingAttachment } from './notification-channel.js';
import type { NotificationAttachment } from './queue-notification.js';

export type AttachmentsOutcome =
  | { readonly ok: true; readonly attachments: OutgoingAttachment[] }
  | { readonly ok: false; readonly error: string };

/** A bound on the files of one email: messages carry one invoice, rarely more. */
const MAX_ATTACHMENTS = 10;

/**
 * The files of a message, rendered when it is sent (not stored twice): an invoice PDF exactly as
 * GET /v1/invoices/{id}/pdf serves it, in the customer's language, with the tenant's template.
 */
export async function renderNotificationAttachments(
  db: Kysely<Database>,
  tenantId: string,
  references: readonly NotificationAttachment[],
): Promise<AttachmentsOutcome> {
  if (references.length > MAX_ATTACHMENTS)
    return { ok: false, error: `${references.length} attachments; at most ${MAX_ATTACHMENTS}` };
  const attachments: OutgoingAttachment[] = [];
  for (const reference of references) {
    if (reference.kind !== 'invoice_pdf') return { ok: false, error: `unknown attachment ${reference.kind}` };
    const invoice = await findInvoice(db, tenantId, reference.invoiceId);
    if (invoice === undefined) return { ok: false, error: `attachment: no invoice ${reference.invoiceId}` };
    const rendering = await renderingOf(db, tenantId, invoice.document);
    attachments.push({
      filename: `${safeFileName(invoice.number ?? invoice.id)}.pdf`,
      contentType: 'application/pdf',
      content: await renderInvoicePdf(rendering.document, rendering.options),
    });
  }
  return { ok: true, attachments };
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
}
