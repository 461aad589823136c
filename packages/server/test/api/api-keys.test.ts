import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/api-keys/create-api-key.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

describe(`API keys API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await openApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const issue = (body: object, key = h.tenant.keys.admin, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { ...bearer(key), ...headers },
      payload: body,
    });
  const list = (query = '', key = h.tenant.keys.admin) =>
    h.app.inject({ url: `/v1/api-keys${query}`, headers: bearer(key) });

  it('issues a key shown once, which then works with its role', async () => {
    const response = await issue({ name: 'CRM sync', role: 'operator' });
    expect(response.statusCode).toBe(201);
    const issued = response.json();
    expect(issued).toEqual({
      id: expect.any(String),
      name: 'CRM sync',
      prefix: issued.key.slice(0, 11),
      role: 'operator',
      key: expect.stringMatching(/^tg_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    const stored = await h.database.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(hashApiKey(issued.key));

    const used = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(issued.key),
      payload: { kind: 'person', givenName: 'Keyed' },
    });
    expect(used.statusCode).toBe(201);
    expect((await h.app.inject({ url: '/v1/api-keys', headers: bearer(issued.key) })).statusCode).toBe(403);
  });

  it('lists keys with prefix, name, role and times, never the key or its hash', async () => {
    const issued = (await issue({ name: 'listed', role: 'support' })).json();
    await h.app.inject({ url: '/v1/customers', headers: bearer(issued.key) });
    const page = await list('?status=active&limit=200');
    expect(page.statusCode).toBe(200);
    const item = page.json().items.find((k: { id: string }) => k.id === issued.id);
    expect(item).toEqual({
      id: issued.id,
      name: 'listed',
      prefix: issued.prefix,
      role: 'support',
      createdAt: issued.createdAt,
      lastUsedAt: expect.any(String),
      revokedAt: null,
    });
    expect(page.body).not.toContain(issued.key);
    expect(page.body).not.toContain(hashApiKey(issued.key));
    expect(page.body).not.toContain('keyHash');
    const read = await h.app.inject({
      url: `/v1/api-keys/${issued.id}`,
      headers: bearer(h.tenant.keys.admin),
    });
    expect(read.json()).toEqual(item);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const next = (await list(url)).json();
      ids.push(...next.items.map((k: { id: string }) => k.id));
      cursor = next.nextCursor;
    } while (cursor !== null);
    expect(ids).toContain(issued.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('revokes a key: it gets 401 from then on, and revoking again changes nothing', async () => {
    const issued = (await issue({ name: 'to revoke', role: 'read-only' })).json();
    expect((await h.app.inject({ url: '/v1/customers', headers: bearer(issued.key) })).statusCode).toBe(200);
    const revoked = await h.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${issued.id}/revoke`,
      headers: bearer(h.tenant.keys.admin),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: issued.id, revokedAt: expect.any(String) });
    const refused = await h.app.inject({ url: '/v1/customers', headers: bearer(issued.key) });
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'unauthenticated']);
    const again = await h.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${issued.id}/revoke`,
      headers: bearer(h.tenant.keys.admin),
    });
    expect(again.json()).toEqual(revoked.json());
    const revokedList = (await list('?status=revoked')).json().items.map((k: { id: string }) => k.id);
    expect(revokedList).toContain(issued.id);
    const entries = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', issued.id)
      .orderBy('sequence')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('lets only admins manage keys, and no caller grant a role above its own', async () => {
    for (const role of ['operator', 'support', 'read-only'] as const) {
      expect((await issue({ name: 'x', role: 'read-only' }, h.tenant.keys[role])).statusCode).toBe(403);
      expect((await list('', h.tenant.keys[role])).statusCode).toBe(403);
    }
    // The ceiling holds in the use case itself, whatever role a route asks for.
    const asOperator = {
      tenantId: h.tenant.id,
      role: 'operator' as const,
      actor: { type: 'api_key' as const, id: 'k' },
    };
    const now = new Date();
    expect(await createApiKey(h.database.db, asOperator, { name: 'up', role: 'admin' }, now)).toMatchObject({
      ok: false,
      code: 'role_above_caller',
    });
    expect(
      await createApiKey(h.database.db, asOperator, { name: 'level', role: 'operator' }, now),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await createApiKey(
        h.database.db,
        { ...asOperator, role: 'customer' },
        { name: 'c', role: 'read-only' },
        now,
      ),
    ).toMatchObject({
      ok: false,
    });
  });

  it("hides another tenant's keys: 404, never 403", async () => {
    const mine = (await issue({ name: 'mine', role: 'support' })).json();
    const theirs = bearer(h.otherTenant.keys.admin);
    expect((await h.app.inject({ url: `/v1/api-keys/${mine.id}`, headers: theirs })).statusCode).toBe(404);
    const revoke = await h.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${mine.id}/revoke`,
      headers: theirs,
    });
    expect(revoke.statusCode).toBe(404);
    expect((await h.app.inject({ url: '/v1/customers', headers: bearer(mine.key) })).statusCode).toBe(200);
    const listed = (await h.app.inject({ url: '/v1/api-keys?limit=200', headers: theirs })).json();
    expect(listed.items.map((k: { id: string }) => k.id)).not.toContain(mine.id);
  });

  it('replays a key request without the key: it is stored nowhere', async () => {
    const headers = { 'idempotency-key': 'issue-once-1' };
    const first = await issue({ name: 'idempotent', role: 'support' }, h.tenant.keys.admin, headers);
    const again = await issue({ name: 'idempotent', role: 'support' }, h.tenant.keys.admin, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const { key, ...rest } = first.json();
    expect(again.json()).toEqual(rest);
    const rows = await h.database.db
      .selectFrom('api_keys')
      .select('id')
      .where('name', '=', 'idempotent')
      .execute();
    expect(rows).toHaveLength(1);
    const { rows: hits } = await sql<{ n: number }>`
      select (select count(*) from idempotency_keys where response_body like ${`%${key}%`})
           + (select count(*) from audit_log where after::text like ${`%${key}%`}) as n`.execute(
      h.database.db,
    );
    expect(Number(hits[0]?.n)).toBe(0);
  });

  it('writes key changes to a chain that verifies, naming the acting key', async () => {
    expect((await verifyAuditChain(h.database.db)).breaks).toEqual([]);
    const adminKeyId = (
      await h.database.db
        .selectFrom('api_keys')
        .select('id')
        .where('key_hash', '=', hashApiKey(h.tenant.keys.admin))
        .executeTakeFirstOrThrow()
    ).id;
    const created = await h.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('action', '=', 'api_key.created')
      .where('tenant_id', '=', h.tenant.id)
      .execute();
    expect(created.length).toBeGreaterThan(0);
    expect(
      created
        .filter((e) => e.actor_type === 'api_key')
        .every((e) => e.actor_id === adminKeyId || e.actor_id === 'k'),
    ).toBe(true);
  });
});
