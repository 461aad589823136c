import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import type { InvoiceDocument } from '../invoice-document.js';
import { languageOf } from '../invoice-document-of.js';
import { loadTenantBilling } from '../load-billing-chunk.js';

/** The fields of a statement or receipt that come from the seller, the buyer and the account. */
export type DocumentHeader = Pick<
  InvoiceDocument,
  'language' | 'locale' | 'currency' | 'timeZone' | 'seller' | 'buyer' | 'notes'
>;

export interface DocumentParties {
  readonly accountId: string;
  readonly accountNumber: string;
  readonly header: DocumentHeader;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The seller (the tenant's billing profile) and the buyer (the account's customer) as they are
 * now, for the documents of a balance; undefined when the tenant has no such account. A balance
 * document names no tax exemptions: it carries no tax.
 */
export async function loadDocumentParties(
  db: Db,
  tenantId: string,
  accountId: string,
): Promise<DocumentParties | undefined> {
  const account = await db
    .selectFrom('accounts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select([
      'a.id',
      'a.account_number',
      'a.currency',
      'a.time_zone',
      'c.display_name',
      'c.address',
      'c.tax_id',
      'c.language',
    ])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (account === undefined) return undefined;
  const { name, profile } = await loadTenantBilling(db, tenantId);
  return {
    accountId: account.id,
    accountNumber: account.account_number,
    header: {
      language: languageOf(account.language),
      locale: account.language,
      currency: account.currency,
      timeZone: account.time_zone,
      seller: {
        name,
        legalName: profile.legalName,
        address: profile.address,
        taxId: profile.taxId,
        registration: profile.registration,
        email: profile.email,
        website: profile.website,
        bankDetails: profile.bankDetails,
        logo: profile.logo,
      },
      buyer: {
        name: account.display_name,
        accountNumber: account.account_number,
        address: account.address,
        taxId: account.tax_id,
        exemptions: [],
      },
      notes: profile.notes,
    },
  };
}
