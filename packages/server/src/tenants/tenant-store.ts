import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, TenantTable } from '../db/database-schema.js';
import type { Tenant } from './tenant-schemas.js';

export type TenantRow = Selectable<TenantTable>;

export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    parentTenantId: row.parent_tenant_id,
    slug: row.slug,
    name: row.name,
    defaultCurrency: row.default_currency,
    timeZone: row.time_zone,
    language: row.language,
    countryCode: row.country_code,
    internationalPrefix: row.international_prefix,
    trunkPrefix: row.trunk_prefix,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findTenant(
  db: Kysely<Database> | Transaction<Database>,
  id: string,
  lock = false,
): Promise<TenantRow | undefined> {
  let query = db.selectFrom('tenants').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}
