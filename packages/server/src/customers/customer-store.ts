import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustomerTable, Database } from '../db/database-schema.js';
import type { Customer } from './customer-schemas.js';

export type CustomerRow = Selectable<CustomerTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    kind: row.kind,
    displayName: row.display_name,
    givenName: row.given_name,
    familyName: row.family_name,
    companyName: row.company_name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    taxRegion: row.tax_region,
    taxExemptions: row.tax_exemptions,
    address: row.address,
    taxId: row.tax_id,
    customerGroup: row.customer_group,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One customer of one tenant; another tenant's id reads as absent. */
export async function findCustomer(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<CustomerRow | undefined> {
  let query = db.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function displayNameOf(fields: {
  kind: 'person' | 'business';
  givenName?: string | null | undefined;
  familyName?: string | null | undefined;
  companyName?: string | null | undefined;
}): string | null {
  if (fields.kind === 'business') return fields.companyName ?? null;
  const name = [fields.givenName, fields.familyName]
    .filter((part) => part != null && part.length > 0)
    .join(' ');
  return name.length > 0 ? name : null;
}
