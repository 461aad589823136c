import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

const PASSWORD = 'correct horse battery staple';

describe(`users API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let slug: string;
  let customerId: string;
  beforeAll(async () => {
    h = await openApiHarness();
    slug = (
      await h.database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', h.tenant.id)
        .executeTakeFirstOrThrow()
    ).slug;
    const customer = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(h.tenant.keys.operator),
      payload: { kind: 'person', givenName: 'Ada', familyName: 'Lovelace' },
    });
    customerId = customer.json().id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const createUser = (body: object, key = h.tenant.keys.admin) =>
    h.app.inject({ method: 'POST', url: '/v1/users', headers: bearer(key), payload: body });

  async function signedIn(email: string): Promise<Record<string, string>> {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: slug, email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const cookie = response.cookies.find((c) => c.name === 'tollgate_session');
    return { tollgate_session: cookie?.value ?? '' };
  }

  it('creates staff and customer users, showing neither password nor hash', async () => {
    const staff = await createUser({
      email: 'Grace.Hopper@Acme.test',
      password: PASSWORD,
      kind: 'staff',
      role: 'support',
    });
    expect(staff.statusCode).toBe(201);
    expect(staff.json()).toEqual({
      id: expect.any(String),
      email: 'grace.hopper@acme.test',
      kind: 'staff',
      role: 'support',
      customerId: null,
      lockedUntil: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const customer = await createUser({
      email: 'ada@home.test',
      password: PASSWORD,
      kind: 'customer',
      customerId,
    });
    expect(customer.statusCode).toBe(201);
    expect(customer.json()).toMatchObject({ kind: 'customer', role: 'customer', customerId });

    const read = await h.app.inject({
      url: `/v1/users/${staff.json().id}`,
      headers: bearer(h.tenant.keys.admin),
    });
    expect(read.json()).toEqual(staff.json());
    const list = await h.app.inject({ url: '/v1/users?kind=customer', headers: bearer(h.tenant.keys.admin) });
    expect(list.json().items.map((u: { email: string }) => u.email)).toEqual(['ada@home.test']);
    const byEmail = await h.app.inject({
      url: '/v1/users?email=GRACE.HOPPER@acme.test',
      headers: bearer(h.tenant.keys.admin),
    });
    expect(byEmail.json().items).toHaveLength(1);

    const stored = await h.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', staff.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    for (const body of [staff.body, customer.body, read.body, list.body]) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain('argon2');
    }
  });

  it('pages through users with cursors', async () => {
    for (let i = 0; i < 3; i++)
      await createUser({
        email: `pager${i}@acme.test`,
        password: PASSWORD,
        kind: 'staff',
        role: 'read-only',
      });
    const emails: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/users?kind=staff&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.app.inject({ url, headers: bearer(h.tenant.keys.admin) })).json();
      emails.push(...page.items.map((u: { email: string }) => u.email));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(emails.filter((e) => e.startsWith('pager'))).toEqual([
      'pager0@acme.test',
      'pager1@acme.test',
      'pager2@acme.test',
    ]);
  });

  it.each([
    [
      'a short password',
      { email: 'a@acme.test', password: 'elevenchars', kind: 'staff', role: 'admin' },
      '/password',
    ],
    [
      'the e-mail as password',
      { email: 'longname@acme.test', password: 'LongName@Acme.test', kind: 'staff', role: 'admin' },
      '/password',
    ],
    [
      'the e-mail’s name as password',
      { email: 'longnamehere@acme.test', password: 'longnamehere', kind: 'staff', role: 'admin' },
      '/password',
    ],
    ['a staff user without a role', { email: 'b@acme.test', password: PASSWORD, kind: 'staff' }, '/role'],
    [
      'a customer user without a customer',
      { email: 'c@acme.test', password: PASSWORD, kind: 'customer' },
      '/customerId',
    ],
    [
      'a customer user with a staff role',
      {
        email: 'd@acme.test',
        password: PASSWORD,
        kind: 'customer',
        role: 'admin',
        customerId: '00000000-0000-4000-8000-000000000000',
      },
      '/role',
    ],
    ['a bad e-mail', { email: 'nope', password: PASSWORD, kind: 'staff', role: 'admin' }, '/email'],
    [
      'an unknown field',
      { email: 'e@acme.test', password: PASSWORD, kind: 'staff', role: 'admin', admin: true },
      '/admin',
    ],
  ])('answers %s with 400 naming the field', async (_name, body, field) => {
    const response = await createUser(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('refuses an e-mail already taken in the tenant, whatever its case, but not in another tenant', async () => {
    const body = { email: 'twice@acme.test', password: PASSWORD, kind: 'staff', role: 'operator' };
    expect((await createUser(body)).statusCode).toBe(201);
    const again = await createUser({ ...body, email: 'TWICE@acme.test' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', errors: [{ field: '/email' }] });
    expect((await createUser(body, h.otherTenant.keys.admin)).statusCode).toBe(201);
  });

  it('lets only admins manage users', async () => {
    const body = { email: 'nope@acme.test', password: PASSWORD, kind: 'staff', role: 'read-only' };
    for (const role of ['operator', 'support', 'read-only'] as const) {
      expect((await createUser(body, h.tenant.keys[role])).statusCode).toBe(403);
      expect(
        (await h.app.inject({ url: '/v1/users', headers: bearer(h.tenant.keys[role]) })).statusCode,
      ).toBe(403);
    }
    expect((await h.app.inject({ url: '/v1/users' })).statusCode).toBe(401);
    // A staff admin's session does what an admin key does.
    await createUser({ email: 'boss@acme.test', password: PASSWORD, kind: 'staff', role: 'admin' });
    const cookies = await signedIn('boss@acme.test');
    const made = await h.app.inject({ method: 'POST', url: '/v1/users', cookies, payload: body });
    expect(made.statusCode).toBe(201);
  });

  it("hides another tenant's users and customers: 404, never 403", async () => {
    const mine = (
      await createUser({ email: 'mine@acme.test', password: PASSWORD, kind: 'staff', role: 'support' })
    ).json();
    const theirs = bearer(h.otherTenant.keys.admin);
    expect((await h.app.inject({ url: `/v1/users/${mine.id}`, headers: theirs })).statusCode).toBe(404);
    const unlock = await h.app.inject({
      method: 'POST',
      url: `/v1/users/${mine.id}/unlock`,
      headers: theirs,
    });
    expect(unlock.statusCode).toBe(404);
    const list = (await h.app.inject({ url: '/v1/users?email=mine@acme.test', headers: theirs })).json();
    expect(list.items).toEqual([]);
    // A customer user of the other tenant cannot be tied to this tenant's customer.
    const stolen = await createUser(
      { email: 'thief@rival.test', password: PASSWORD, kind: 'customer', customerId },
      h.otherTenant.keys.admin,
    );
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json()).toMatchObject({ code: 'not_found', errors: [{ field: '/customerId' }] });
    // Signing in names the tenant: the same e-mail under another tenant is no account.
    const otherSlug = (
      await h.database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', h.otherTenant.id)
        .executeTakeFirstOrThrow()
    ).slug;
    const wrongTenant = await h.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: otherSlug, email: 'mine@acme.test', password: PASSWORD },
    });
    expect(wrongTenant.statusCode).toBe(401);
  });

  it('gives a staff session its role: an operator creates a customer, a read-only user cannot', async () => {
    await createUser({ email: 'operator@acme.test', password: PASSWORD, kind: 'staff', role: 'operator' });
    await createUser({ email: 'viewer@acme.test', password: PASSWORD, kind: 'staff', role: 'read-only' });
    const operator = await signedIn('operator@acme.test');
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      cookies: operator,
      payload: { kind: 'business', companyName: 'Made By Session' },
    });
    expect(created.statusCode).toBe(201);
    const entry = await h.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('object_id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    const operatorId = (await h.app.inject({ url: '/v1/me', cookies: operator })).json().user.id;
    expect(entry).toEqual({ actor_type: 'user', actor_id: operatorId });

    const viewer = await signedIn('viewer@acme.test');
    expect((await h.app.inject({ url: '/v1/customers', cookies: viewer })).statusCode).toBe(200);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      cookies: viewer,
      payload: { kind: 'person', givenName: 'No' },
    });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'forbidden']);
    expect(refused.json().detail).toBe('this needs the operator role; the user has read-only');
  });

  it("gives a customer user's session no staff role: 403 on staff routes", async () => {
    await createUser({ email: 'portal@home.test', password: PASSWORD, kind: 'customer', customerId });
    const cookies = await signedIn('portal@home.test');
    const me = await h.app.inject({ url: '/v1/me', cookies });
    expect(me.json().user).toMatchObject({ role: 'customer', customerId });
    const attempts = [
      { method: 'POST' as const, url: '/v1/customers', payload: { kind: 'person', givenName: 'X' } },
      { method: 'GET' as const, url: '/v1/customers' },
      { method: 'PATCH' as const, url: `/v1/customers/${customerId}`, payload: { givenName: 'Y' } },
      { method: 'GET' as const, url: '/v1/users' },
      { method: 'GET' as const, url: '/v1/api-keys' },
      { method: 'POST' as const, url: '/v1/api-keys', payload: { name: 'mine', role: 'read-only' } },
    ];
    for (const attempt of attempts) {
      const response = await h.app.inject({ ...attempt, cookies });
      expect([attempt.url, response.statusCode]).toEqual([attempt.url, 403]);
    }
  });

  it('takes an Authorization header over a cookie: a bad key is 401 even beside a good session', async () => {
    await createUser({ email: 'both@acme.test', password: PASSWORD, kind: 'staff', role: 'admin' });
    const cookies = await signedIn('both@acme.test');
    expect((await h.app.inject({ url: '/v1/customers', cookies })).statusCode).toBe(200);
    const withBadKey = await h.app.inject({ url: '/v1/customers', cookies, headers: bearer('tg_forged') });
    expect(withBadKey.statusCode).toBe(401);
    const withBasic = await h.app.inject({
      url: '/v1/customers',
      cookies,
      headers: { authorization: 'Basic eDp5' },
    });
    expect(withBasic.statusCode).toBe(401);
  });

  it('writes user changes to the audit chain, without passwords or hashes', async () => {
    expect((await verifyAuditChain(h.database.db)).breaks).toEqual([]);
    const { rows } = await sql<{ text: string }>`
      select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') as text
      from audit_log where tenant_id = ${h.tenant.id}`.execute(h.database.db);
    const text = rows[0]?.text ?? '';
    expect(text).toContain('grace.hopper@acme.test');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('argon2');
    const actions = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .distinct()
      .where('tenant_id', '=', h.tenant.id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.created', 'session.started', 'customer.created']),
    );
  });
});
