import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { ApiKeyRole, Database } from '../db/database-schema.js';

/** Keys read `tg_` + 43 base64url characters: 256 random bits. */
const KEY_PREFIX = 'tg_';
const KEY_BYTES = 32;
/** How much of a key listings show: enough to tell keys apart, far too little to guess one. */
const DISPLAY_PREFIX_LENGTH = 11;

export const ROLES: readonly ApiKeyRole[] = ['read-only', 'support', 'operator', 'admin'];

/** Roles are ordered: each may do what the ones before it may. */
export function roleAllows(role: ApiKeyRole, needed: ApiKeyRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface IssuedApiKey {
  readonly id: string;
  /** The key itself: shown once, never stored. */
  readonly key: string;
  readonly prefix: string;
  readonly role: ApiKeyRole;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function issueApiKey(
  db: Kysely<Database> | Transaction<Database>,
  tenantId: string,
  name: string,
  role: ApiKeyRole,
): Promise<IssuedApiKey> {
  const key = KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  const prefix = key.slice(0, DISPLAY_PREFIX_LENGTH);
  const row = await db
    .insertInto('api_keys')
    .values({
      tenant_id: tenantId,
      name,
      prefix,
      key_hash: hashApiKey(key),
      role,
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key, prefix, role };
}

export interface ApiKeyIdentity {
  readonly keyId: string;
  readonly tenantId: string;
  readonly role: ApiKeyRole;
}

/**
 * The identity behind a presented key, or null for an unknown or revoked key. Looked up by hash:
 * the comparison happens on SHA-256 digests inside an index, so its timing tells nothing about
 * the key. The last-used time is refreshed at most once a minute per key, to keep reads cheap.
 */
export async function authenticateApiKey(
  db: Kysely<Database>,
  presented: string,
  now: Date,
): Promise<ApiKeyIdentity | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 128) return null;
  const keyHash = hashApiKey(presented);
  const remembered = recentKeys.get(keyHash);
  if (remembered !== undefined && now.getTime() - remembered.checkedAtMs < REMEMBER_KEY_MS)
    return remembered.identity;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'tenant_id', 'role', 'last_used_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return null;
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const identity = { keyId: row.id, tenantId: row.tenant_id, role: row.role };
  if (recentKeys.size >= MAX_REMEMBERED_KEYS) recentKeys.clear();
  recentKeys.set(keyHash, { identity, checkedAtMs: now.getTime() });
  return identity;
}

/**
 * Keys that authenticated in the last few seconds, by hash. Machine clients (switches charging
 * calls) send thousands of requests a second with one key; reading the key for each would double
 * the database work of a charging request. A revocation takes effect at once in the process that
 * revokes (forgetApiKey) and within REMEMBER_KEY_MS in the others.
 */
const recentKeys = new Map<string, { identity: ApiKeyIdentity; checkedAtMs: number }>();
const REMEMBER_KEY_MS = 5_000;
const MAX_REMEMBERED_KEYS = 10_000;

/** Forgets a key this process remembers, so its revocation is seen by the next request. */
export function forgetApiKey(keyId: string): void {
  for (const [hash, entry] of recentKeys) if (entry.identity.keyId === keyId) recentKeys.delete(hash);
}
