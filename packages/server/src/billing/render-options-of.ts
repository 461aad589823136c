import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import {
  DEFAULT_INVOICE_TEMPLATE,
  parseInvoiceTemplate,
  type RenderInvoiceOptions,
} from './render/invoice-template.js';

/** The tenant's invoice template, or the default one where the stored template does not check. */
export async function renderOptionsOf(db: Kysely<Database>, tenantId: string): Promise<RenderInvoiceOptions> {
  const profile = await db
    .selectFrom('billing_profiles')
    .select('template')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const parsed = parseInvoiceTemplate(profile?.template ?? {});
  return { template: parsed.ok ? parsed.value : DEFAULT_INVOICE_TEMPLATE };
}
