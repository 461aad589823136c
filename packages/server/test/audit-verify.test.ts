import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, canonicalJson } from '../src/audit/record-audit-entry.js';
import { verifyAuditChain } from '../src/audit/verify-audit-chain.js';
import type { Database } from '../src/db/database-schema.js';
import { buildAuditChain, tamper } from './audit-fixtures.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from './test-database.js';

describe(`audit chain verification (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  const tenants: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db;
    for (const name of ['intact', 'altered', 'rehashed', 'deleted', 'truncated', 'reordered'])
      tenants[name] = await buildAuditChain(db, `Audit ${name}`);
  });
  afterAll(async () => {
    await database?.close();
  });

  const tenantOf = (name: string) => tenants[name] ?? '';
  async function breaksOf(name: string) {
    const verification = await verifyAuditChain(db);
    return verification.breaks
      .filter((b) => b.tenantId === tenantOf(name))
      .map((b) => ({ sequence: b.sequence, problem: b.problem }));
  }
  const entry = (name: string, sequence: bigint) =>
    db.updateTable('audit_log').where('tenant_id', '=', tenantOf(name)).where('sequence', '=', sequence);

  it('finds every chain built through the use cases intact', async () => {
    const verification = await verifyAuditChain(db);
    expect(verification).toEqual({ tenants: 6, entries: 30, breaks: [] });
  });

  it('reports an altered entry at its sequence', async () => {
    await tamper(db, () =>
      entry('altered', 2n)
        .set({ after: sql`jsonb_set(after, '{familyName}', '"Mallory"')` as never })
        .execute(),
    );
    expect(await breaksOf('altered')).toEqual([
      { sequence: 2n, problem: 'hash does not match the entry: it was altered' },
    ]);
    expect(await breaksOf('intact')).toEqual([]);
  });

  it('reports a rewritten hash at the entry after it', async () => {
    // A forger who also recomputes the entry's hash moves the break to the next entry's link.
    const row = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantOf('rehashed'))
      .where('sequence', '=', 3n)
      .executeTakeFirstOrThrow();
    const forged = { ...(row.after as Record<string, unknown>), role: 'admin' };
    const hash = auditHash(row.previous_hash, {
      tenantId: row.tenant_id,
      sequence: row.sequence,
      occurredAt: row.occurred_at,
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      before: canonicalJson(row.before),
      after: canonicalJson(forged),
    });
    await tamper(db, () =>
      entry('rehashed', 3n)
        .set({ after: canonicalJson(forged), hash })
        .execute(),
    );
    expect(await breaksOf('rehashed')).toEqual([
      { sequence: 4n, problem: 'previous hash does not match the entry before' },
    ]);
  });

  it('reports a deleted entry where the gap is', async () => {
    await tamper(db, () =>
      db
        .deleteFrom('audit_log')
        .where('tenant_id', '=', tenantOf('deleted'))
        .where('sequence', '=', 2n)
        .execute(),
    );
    expect(await breaksOf('deleted')).toEqual([
      { sequence: 3n, problem: 'expected entry 2, found 3' },
      { sequence: 3n, problem: 'previous hash does not match the entry before' },
    ]);
  });

  it('reports a removed last entry through the chain head', async () => {
    await tamper(db, () =>
      db
        .deleteFrom('audit_log')
        .where('tenant_id', '=', tenantOf('truncated'))
        .where('sequence', '=', 5n)
        .execute(),
    );
    expect(await breaksOf('truncated')).toEqual([
      { sequence: 5n, problem: 'chain head does not match the last entry: entries are missing' },
    ]);
  });

  it('reports a reordered chain from the first moved entry', async () => {
    await tamper(db, async () => {
      await entry('reordered', 2n).set({ sequence: 1000n }).execute();
      await entry('reordered', 3n).set({ sequence: 2n }).execute();
      await entry('reordered', 1000n).set({ sequence: 3n }).execute();
    });
    const breaks = await breaksOf('reordered');
    expect(breaks[0]).toEqual({ sequence: 2n, problem: 'previous hash does not match the entry before' });
    expect(breaks.map((b) => b.sequence)).toEqual([2n, 2n, 3n, 3n, 4n]);
  });
});
