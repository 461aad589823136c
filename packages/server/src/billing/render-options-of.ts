import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { InvoiceDocument } from './invoice-document.js';
import {
  DEFAULT_INVOICE_TEMPLATE,
  parseInvoiceTemplate,
  type RenderInvoiceOptions,
} from './render/invoice-template.js';

/**
 * A stored document as it renders today: with the tenant's logo (documents do not keep it) and
 * its invoice template, or the default template where the stored one does not check.
 */
export async function renderingOf(
  db: Kysely<Database>,
  tenantId: string,
  document: InvoiceDocument,
): Promise<{ readonly document: InvoiceDocument; readonly options: RenderInvoiceOptions }> {
  const profile = await db
    .selectFrom('billing_profiles')
    .select(['template', 'logo_media_type', 'logo_base64'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const parsed = parseInvoiceTemplate(profile?.template ?? {});
  const logo =
    document.seller.logo ??
    (profile?.logo_media_type != null && profile.logo_base64 !== null
      ? { mediaType: profile.logo_media_type, base64: profile.logo_base64 }
      : null);
  return {
    document: { ...document, seller: { ...document.seller, logo } },
    options: { template: parsed.ok ? parsed.value : DEFAULT_INVOICE_TEMPLATE },
  };
}

/** The tenant's invoice template alone, for documents that carry no seller logo of their own to keep. */
export async function renderOptionsOf(db: Kysely<Database>, tenantId: string): Promise<RenderInvoiceOptions> {
  const profile = await db
    .selectFrom('billing_profiles')
    .select('template')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const parsed = parseInvoiceTemplate(profile?.template ?? {});
  return { template: parsed.ok ? parsed.value : DEFAULT_INVOICE_TEMPLATE };
}
