import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import type { BillingProfileTable } from '../billing-tables.js';
import { DEFAULT_INVOICE_TEMPLATE } from '../render/invoice-template.js';
import type { BillingProfile } from './billing-profile-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type BillingProfileRow = Selectable<BillingProfileTable>;

/** What a tenant that has never set its profile bills with: the columns' defaults. */
const DEFAULT_BILLING_PROFILE: BillingProfile = {
  legalName: null,
  address: [],
  taxId: null,
  registration: null,
  email: null,
  website: null,
  bankDetails: null,
  logo: null,
  template: { ...DEFAULT_INVOICE_TEMPLATE },
  notes: [],
  pricesIncludeTax: false,
  taxRounding: 'line',
  invoiceSeries: 'INV',
  creditNoteSeries: 'CN',
  updatedAt: null,
};

/** The stored row as the API shows it; the template's unset choices show as their defaults. */
export function toBillingProfile(row: BillingProfileRow | undefined): BillingProfile {
  if (row === undefined) return DEFAULT_BILLING_PROFILE;
  const { template } = row;
  return {
    legalName: row.legal_name,
    address: row.address,
    taxId: row.tax_id,
    registration: row.registration,
    email: row.email,
    website: row.website,
    bankDetails: row.bank_details,
    logo:
      row.logo_media_type === null || row.logo_base64 === null
        ? null
        : { mediaType: row.logo_media_type, base64: row.logo_base64 },
    template: {
      accentColor: template.accentColor ?? DEFAULT_INVOICE_TEMPLATE.accentColor,
      footerText: template.footerText ?? DEFAULT_INVOICE_TEMPLATE.footerText,
      showItemised: template.showItemised ?? DEFAULT_INVOICE_TEMPLATE.showItemised,
    },
    notes: row.notes,
    pricesIncludeTax: row.prices_include_tax,
    taxRounding: row.tax_rounding,
    invoiceSeries: row.invoice_series,
    creditNoteSeries: row.credit_note_series,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The tenant's billing profile, or the defaults when it has none. */
export async function readBillingProfile(db: Executor, tenantId: string): Promise<BillingProfile> {
  const row = await db
    .selectFrom('billing_profiles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return toBillingProfile(row);
}
