import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

describe(`customers API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await openApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = (body: unknown, key = h.tenant.keys.operator, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { ...bearer(key), ...headers },
      payload: body as object,
    });

  it('creates, reads, changes and lists a customer', async () => {
    const created = await create({
      kind: 'person',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.com',
    });
    expect(created.statusCode).toBe(201);
    const customer = created.json();
    expect(customer).toMatchObject({
      displayName: 'Ada Lovelace',
      language: 'de',
      status: 'active',
      taxExemptions: [],
    });

    const read = await h.app.inject({
      url: `/v1/customers/${customer.id}`,
      headers: bearer(h.tenant.keys['read-only']),
    });
    expect(read.json()).toEqual(customer);

    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${customer.id}`,
      headers: bearer(h.tenant.keys.operator),
      payload: { familyName: 'King', taxExemptions: [{ tax: 'VAT', certificate: 'EX-1' }] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      displayName: 'Ada King',
      taxExemptions: [{ tax: 'VAT', certificate: 'EX-1' }],
    });
  });

  it('pages through a list with cursors, in both orders, with filters', async () => {
    for (let i = 0; i < 5; i++)
      await create({ kind: 'business', companyName: `Pager ${i}`, email: `p${i}@pager.test` });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/customers?limit=2&q=pager${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.app.inject({ url, headers: bearer(h.tenant.keys['read-only']) })).json();
      names.push(...page.items.map((c: { displayName: string }) => c.displayName));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(names).toEqual(['Pager 0', 'Pager 1', 'Pager 2', 'Pager 3', 'Pager 4']);
    const desc = (
      await h.app.inject({
        url: '/v1/customers?q=pager&order=desc&limit=1',
        headers: bearer(h.tenant.keys.admin),
      })
    ).json();
    expect(desc.items[0].displayName).toBe('Pager 4');
    const byEmail = (
      await h.app.inject({ url: '/v1/customers?email=p3@pager.test', headers: bearer(h.tenant.keys.admin) })
    ).json();
    expect(byEmail.items.map((c: { displayName: string }) => c.displayName)).toEqual(['Pager 3']);
  });

  it("hides another tenant's customers: 404, never 403", async () => {
    const mine = (await create({ kind: 'person', givenName: 'Mine' })).json();
    const theirs = { ...bearer(h.otherTenant.keys.admin) };
    expect((await h.app.inject({ url: `/v1/customers/${mine.id}`, headers: theirs })).statusCode).toBe(404);
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/v1/customers/${mine.id}`,
      headers: theirs,
      payload: { givenName: 'Stolen' },
    });
    expect(patch.statusCode).toBe(404);
    const list = (await h.app.inject({ url: '/v1/customers?q=Mine', headers: theirs })).json();
    expect(list.items).toEqual([]);
  });

  it('needs a key, and a role high enough', async () => {
    expect((await h.app.inject({ url: '/v1/customers' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/v1/customers', headers: bearer('tg_not-a-key') })).statusCode).toBe(
      401,
    );
    const readOnly = await create({ kind: 'person', givenName: 'X' }, h.tenant.keys['read-only']);
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json()).toMatchObject({ code: 'forbidden', status: 403 });
    expect(readOnly.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['an unknown field', { kind: 'person', givenName: 'A', shoeSize: 44 }, '/shoeSize'],
    ['a wrong type', { kind: 'person', givenName: 42 }, '/givenName'],
    ['a missing field', { givenName: 'A' }, '/kind'],
    ['a bad e-mail', { kind: 'person', givenName: 'A', email: 'nope' }, '/email'],
    ['a phone not in E.164', { kind: 'person', givenName: 'A', phone: '030 123' }, '/phone'],
    ['no name at all', { kind: 'business' }, '/companyName'],
  ])('answers %s with 400 naming the field', async (_name, body, field) => {
    const response = await create(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('answers malformed, oversize and non-JSON bodies with 4xx problems', async () => {
    const headers = { ...bearer(h.tenant.keys.operator), 'content-type': 'application/json' };
    const malformed = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers,
      payload: '{"kind": "person",',
    });
    expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'invalid_json']);
    const huge = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers,
      payload: JSON.stringify({ kind: 'person', givenName: 'x'.repeat(2_000_000) }),
    });
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'payload_too_large']);
    const text = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect([text.statusCode, text.json().code]).toEqual([415, 'unsupported_media_type']);
  });

  it('replays a POST with the same Idempotency-Key and body, and refuses the key for another body', async () => {
    const key = { 'idempotency-key': 'create-grace-1' };
    const first = await create({ kind: 'person', givenName: 'Grace' }, h.tenant.keys.operator, key);
    const again = await create({ kind: 'person', givenName: 'Grace' }, h.tenant.keys.operator, key);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await create({ kind: 'person', givenName: 'Hopper' }, h.tenant.keys.operator, key);
    expect([other.statusCode, other.json().code]).toEqual([409, 'idempotency_key_reused']);
    // An error response is stored and replayed too.
    const badKey = { 'idempotency-key': 'bad-body-1' };
    const bad = await create({ kind: 'business' }, h.tenant.keys.operator, badKey);
    const badAgain = await create({ kind: 'business' }, h.tenant.keys.operator, badKey);
    expect([bad.statusCode, badAgain.statusCode, badAgain.body]).toEqual([400, 400, bad.body]);
  });

  it('creates one record for 50 concurrent duplicates', async () => {
    const key = { 'idempotency-key': 'burst-1' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        create({ kind: 'person', givenName: 'Burst' }, h.tenant.keys.operator, key),
      ),
    );
    const ids = new Set(responses.map((r) => r.json().id));
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    expect(ids.size).toBe(1);
    const rows = await h.database.db
      .selectFrom('customers')
      .select('id')
      .where('display_name', '=', 'Burst')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('writes every change to a hash chain that verifies', async () => {
    const verification = await verifyAuditChain(h.database.db);
    expect(verification.breaks).toEqual([]);
    const entries = await h.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('tenant_id', '=', h.tenant.id)
      .execute();
    expect(entries.map((e) => e.action)).toContain('customer.updated');
    expect(entries.every((e) => e.actor_type === 'api_key')).toBe(true);
  });
});
