import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { auditHash, canonicalJson, GENESIS_HASH } from './record-audit-entry.js';

export interface AuditBreak {
  readonly tenantId: string;
  readonly sequence: bigint;
  readonly problem: string;
}

export interface AuditVerification {
  readonly tenants: number;
  readonly entries: number;
  readonly breaks: readonly AuditBreak[];
}

/** Entries are read in pages, so verifying a long chain holds a page in memory, not the chain. */
const PAGE_SIZE = 1000;

/**
 * Recomputes every tenant's chain from the first entry and reports each place where it does not
 * hold: a gap in the sequence, a previous hash that is not the hash before it, a hash that does
 * not match the entry, or a chain head that disagrees with the last entry.
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  const heads = await db.selectFrom('audit_chain_heads').selectAll().execute();
  const breaks: AuditBreak[] = [];
  let entries = 0;
  for (const head of heads) {
    let expectedSequence = 1n;
    let previousHash = GENESIS_HASH;
    for (;;) {
      const page = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', head.tenant_id)
        .where('sequence', '>=', expectedSequence)
        .orderBy('sequence')
        .limit(PAGE_SIZE)
        .execute();
      for (const row of page) {
        entries++;
        const at = { tenantId: head.tenant_id, sequence: row.sequence };
        if (row.sequence !== expectedSequence)
          breaks.push({ ...at, problem: `expected entry ${expectedSequence}, found ${row.sequence}` });
        if (row.previous_hash !== previousHash)
          breaks.push({ ...at, problem: 'previous hash does not match the entry before' });
        const recomputed = auditHash(row.previous_hash, {
          tenantId: row.tenant_id,
          sequence: row.sequence,
          occurredAt: row.occurred_at,
          actorType: row.actor_type,
          actorId: row.actor_id,
          action: row.action,
          objectType: row.object_type,
          objectId: row.object_id,
          before: canonicalJson(row.before),
          after: canonicalJson(row.after),
        });
        if (recomputed !== row.hash)
          breaks.push({ ...at, problem: 'hash does not match the entry: it was altered' });
        previousHash = row.hash;
        expectedSequence = row.sequence + 1n;
      }
      if (page.length < PAGE_SIZE) break;
    }
    if (head.sequence !== expectedSequence - 1n || head.hash !== previousHash) {
      breaks.push({
        tenantId: head.tenant_id,
        sequence: head.sequence,
        problem: 'chain head does not match the last entry: entries are missing',
      });
    }
  }
  return { tenants: heads.length, entries, breaks };
}
