import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';

export interface Actor {
  readonly type: 'api_key' | 'user' | 'system';
  readonly id: string;
}

export interface AuditEntry {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly occurredAt: Date;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Appends an entry to the tenant's audit chain, inside the caller's transaction (so the entry
 * exists exactly when the change does). The chain head row is locked, which orders concurrent
 * writers of one tenant; each entry's hash covers the previous hash and the entry itself, so a
 * changed, removed or inserted entry breaks every hash after it (see verifyAuditChain).
 */
export async function recordAuditEntry(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ tenant_id: entry.tenantId, sequence: 0n, hash: GENESIS_HASH })
    .onConflict((c) => c.column('tenant_id').doNothing())
    .execute();
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['sequence', 'hash'])
    .where('tenant_id', '=', entry.tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const sequence = head.sequence + 1n;
  const before = canonicalJson(entry.before ?? null);
  const after = canonicalJson(entry.after ?? null);
  const hash = auditHash(head.hash, {
    tenantId: entry.tenantId,
    sequence,
    occurredAt: entry.occurredAt,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    before,
    after,
  });
  await trx
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      sequence,
      occurred_at: entry.occurredAt,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId,
      before,
      after,
      previous_hash: head.hash,
      hash,
    })
    .execute();
  await trx
    .updateTable('audit_chain_heads')
    .set({ sequence, hash })
    .where('tenant_id', '=', entry.tenantId)
    .execute();
}

export interface HashedFields {
  readonly tenantId: string;
  readonly sequence: bigint;
  readonly occurredAt: Date;
  readonly actorType: string;
  readonly actorId: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  /** Canonical JSON text, exactly as stored. */
  readonly before: string;
  readonly after: string;
}

/** SHA-256 over the previous hash and the entry's fields, each length-prefixed so fields cannot run into each other. */
export function auditHash(previousHash: string, fields: HashedFields): string {
  const hash = createHash('sha256').update(previousHash);
  for (const value of [
    fields.tenantId,
    fields.sequence.toString(),
    fields.occurredAt.toISOString(),
    fields.actorType,
    fields.actorId,
    fields.action,
    fields.objectType,
    fields.objectId,
    fields.before,
    fields.after,
  ]) {
    hash.update(`${Buffer.byteLength(value)}:`).update(value);
  }
  return hash.digest('hex');
}

/**
 * JSON with object keys sorted, so the same value always hashes the same; bigints become decimal
 * strings. jsonb does not keep key order, so hashes are computed over this text and compared
 * after re-canonicalising what the database returns.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
