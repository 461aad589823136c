import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { forgetApiKey } from '../auth/api-keys.js';
import type { Database } from '../db/database-schema.js';
import type { ApiKey } from './api-key-schemas.js';
import { findApiKey, toApiKey } from './api-key-store.js';

export type RevokeApiKeyResult = { ok: true; apiKey: ApiKey } | { ok: false; code: 'not_found' };

/**
 * Revokes a key: from now on it authenticates nothing. Revoking a revoked key changes nothing and
 * answers as the first time did (no second audit entry).
 */
export async function revokeApiKey(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  now: Date,
): Promise<RevokeApiKeyResult> {
  const result = await db.transaction().execute(async (trx): Promise<RevokeApiKeyResult> => {
    const current = await findApiKey(trx, tenantId, id, true);
    if (current === undefined) return { ok: false, code: 'not_found' };
    if (current.revoked_at !== null) return { ok: true, apiKey: toApiKey(current) };
    const row = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const apiKey = toApiKey(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'api_key.revoked',
      objectType: 'api_key',
      objectId: id,
      before: toApiKey(current),
      after: apiKey,
      occurredAt: now,
    });
    return { ok: true, apiKey };
  });
  // After the commit, so no request in between can remember the key as still valid.
  if (result.ok) forgetApiKey(id);
  return result;
}
