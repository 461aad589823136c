import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { issueApiKey, roleAllows } from '../auth/api-keys.js';
import type { Database } from '../db/database-schema.js';
import type { UserRole } from '../users/user-tables.js';
import type { ApiKey, CreateApiKeyBody } from './api-key-schemas.js';
import { findApiKey, toApiKey } from './api-key-store.js';

export interface KeyIssuer {
  readonly tenantId: string;
  readonly role: UserRole;
  readonly actor: Actor;
}

export type CreateApiKeyResult =
  | { ok: true; apiKey: ApiKey; key: string }
  | { ok: false; code: 'role_above_caller'; message: string };

/**
 * Issues an API key for the caller's tenant. A caller cannot grant more than it holds: checked here,
 * in the use case, whatever role the route asks for. The audit entry records the key's id, name,
 * prefix and role, never the key.
 */
export async function createApiKey(
  db: Kysely<Database>,
  issuer: KeyIssuer,
  input: CreateApiKeyBody,
  now: Date,
): Promise<CreateApiKeyResult> {
  if (issuer.role === 'customer' || !roleAllows(issuer.role, input.role)) {
    return {
      ok: false,
      code: 'role_above_caller',
      message: `a caller with the ${issuer.role} role cannot issue a ${input.role} key`,
    };
  }
  return db.transaction().execute(async (trx) => {
    const issued = await issueApiKey(trx, issuer.tenantId, input.name, input.role);
    const row = await findApiKey(trx, issuer.tenantId, issued.id);
    if (row === undefined) throw new Error(`createApiKey: key ${issued.id} vanished in its transaction`);
    const apiKey = toApiKey(row);
    await recordAuditEntry(trx, {
      tenantId: issuer.tenantId,
      actor: issuer.actor,
      action: 'api_key.created',
      objectType: 'api_key',
      objectId: apiKey.id,
      before: null,
      after: apiKey,
      occurredAt: now,
    });
    return { ok: true, apiKey, key: issued.key };
  });
}
