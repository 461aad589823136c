import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ApiKeyTable, Database } from '../db/database-schema.js';
import type { ApiKey } from './api-key-schemas.js';

export type ApiKeyRow = Selectable<ApiKeyTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at === null ? null : row.last_used_at.toISOString(),
    revokedAt: row.revoked_at === null ? null : row.revoked_at.toISOString(),
  };
}

/** One key of one tenant; another tenant's id reads as absent. */
export async function findApiKey(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<ApiKeyRow | undefined> {
  let query = db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}
