import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type Account,
  type Client,
  client,
  createAccount,
  createCustomer,
  createSubscription,
  operator,
} from './accounts-fixtures.js';
import { type ApiHarness, createTestTenant, openApiHarness } from './api-fixtures.js';

describe(`accounts API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let api: Client;
  beforeAll(async () => {
    h = await openApiHarness();
    api = operator(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  const creditLimitMicros = async (id: string) =>
    (
      await h.database.db
        .selectFrom('accounts')
        .select('credit_limit_micros')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).credit_limit_micros;

  it("opens an account for the tenant's own customer, with the tenant's defaults", async () => {
    const customerId = await createCustomer(api, 'Grace');
    const created = await api.post('/v1/accounts', { customerId, kind: 'postpaid', creditLimit: '250' });
    expect(created.statusCode).toBe(201);
    const account = created.json();
    expect(account).toMatchObject({
      customerId,
      kind: 'postpaid',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      creditLimit: '250.00',
      billCycleDay: 1,
      paymentTermsDays: 14,
      status: 'active',
    });
    expect(account.accountNumber).toMatch(/^A-\d{6}$/);
    expect(await creditLimitMicros(account.id)).toBe(250_000_000n);

    const read = await client(h, h.tenant.keys['read-only']).get(`/v1/accounts/${account.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(account);
  });

  it('takes currency, time zone, bill cycle day and payment terms when given', async () => {
    const account = await createAccount(api, {
      kind: 'hybrid',
      currency: 'JPY',
      timeZone: 'asia/tokyo',
      creditLimit: '50000',
      billCycleDay: 28,
      paymentTermsDays: 0,
    });
    expect(account).toMatchObject({
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      creditLimit: '50000',
      billCycleDay: 28,
      paymentTermsDays: 0,
    });
  });

  it("answers another tenant's customer id with 404 for the customer, and creates nothing", async () => {
    const theirs = await createCustomer(operator(h, h.otherTenant), 'Theirs');
    const before = await h.database.db.selectFrom('accounts').select('id').execute();
    const response = await api.post('/v1/accounts', { customerId: theirs, kind: 'prepaid' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', detail: `no customer ${theirs}` });
    const unknown = await api.post('/v1/accounts', {
      customerId: '00000000-0000-4000-8000-000000000000',
      kind: 'prepaid',
    });
    expect(unknown.json().detail).toBe(`no customer 00000000-0000-4000-8000-000000000000`);
    expect(await h.database.db.selectFrom('accounts').select('id').execute()).toHaveLength(before.length);
  });

  it('parses money exactly: "0.1" is 100000 micro-units', async () => {
    const account = await createAccount(api, { creditLimit: '0.1' });
    expect(account.creditLimit).toBe('0.10');
    expect(await creditLimitMicros(account.id)).toBe(100_000n);
    const fine = await createAccount(api, { creditLimit: '999999999999.999999' });
    expect(fine.creditLimit).toBe('999999999999.999999');
    expect(await creditLimitMicros(fine.id)).toBe(999_999_999_999_999_999n);
  });

  it.each([
    ['an exponent', { creditLimit: '1e3' }, '/creditLimit'],
    ['a JSON number', { creditLimit: 1.5 }, '/creditLimit'],
    ['a JSON integer', { creditLimit: 100 }, '/creditLimit'],
    ['a negative amount', { creditLimit: '-5.00' }, '/creditLimit'],
    ['a digit below the micro-unit', { creditLimit: '0.0000001' }, '/creditLimit'],
    ['a thousands separator', { creditLimit: '1,000.00' }, '/creditLimit'],
    ['too many digits for int8 micro-units', { creditLimit: '10000000000000' }, '/creditLimit'],
    ['a credit limit on a prepaid account', { kind: 'prepaid', creditLimit: '10.00' }, '/creditLimit'],
    ['an unknown currency', { currency: 'XYZ' }, '/currency'],
    ['a lower-case currency', { currency: 'eur' }, '/currency'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, '/timeZone'],
    ['bill cycle day 29', { billCycleDay: 29 }, '/billCycleDay'],
    ['a fractional bill cycle day', { billCycleDay: 1.5 }, '/billCycleDay'],
    ['an unknown kind', { kind: 'credit' }, '/kind'],
    ['an unknown field', { shoeSize: 44 }, '/shoeSize'],
  ])('answers %s with 400 naming the field', async (_name, fields, field) => {
    const customerId = await createCustomer(api);
    const response = await api.post('/v1/accounts', { customerId, kind: 'postpaid', ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('gives 20 concurrent creations 20 distinct numbers, without gaps', async () => {
    const tenant = await createTestTenant(h.database.db, 'Burst Telecom');
    const burst = operator(h, tenant);
    const customerId = await createCustomer(burst, 'Burst');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => burst.post('/v1/accounts', { customerId, kind: 'prepaid' })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const numbers = responses.map((r) => r.json().accountNumber).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `A-${String(i + 1).padStart(6, '0')}`));
  });

  it('numbers each tenant on its own', async () => {
    const tenant = await createTestTenant(h.database.db, 'Fresh Telecom');
    const first = await createAccount(operator(h, tenant));
    expect(first.accountNumber).toBe('A-000001');
  });

  it('changes credit limit, bill cycle day, payment terms and status', async () => {
    const account = await createAccount(api, { creditLimit: '100.00' });
    const patch = (body: unknown) => api.patch(`/v1/accounts/${account.id}`, body);
    const changed = await patch({ creditLimit: '0.3', billCycleDay: 15, paymentTermsDays: 30 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ creditLimit: '0.30', billCycleDay: 15, paymentTermsDays: 30 });
    expect(await creditLimitMicros(account.id)).toBe(300_000n);
    expect((await patch({ creditLimit: null })).json().creditLimit).toBeNull();
    expect((await patch({ status: 'suspended' })).json().status).toBe('suspended');
    expect((await patch({ status: 'active' })).json().status).toBe('active');
    const bad = await patch({ creditLimit: 12.5 });
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, '/creditLimit']);
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ kind: 'prepaid' })).statusCode).toBe(400);
  });

  it('refuses a credit limit on a prepaid account', async () => {
    const account = await createAccount(api, { kind: 'prepaid' });
    const response = await api.patch(`/v1/accounts/${account.id}`, { creditLimit: '5.00' });
    expect([response.statusCode, response.json().errors[0].field]).toEqual([400, '/creditLimit']);
  });

  it('closes an account only when its subscriptions are terminated; closed is final', async () => {
    const account = await createAccount(api);
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'username', value: `closing-${account.id}` }],
    });
    const early = await api.patch(`/v1/accounts/${account.id}`, { status: 'closed' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'conflict', errors: [{ field: '/status' }] });
    expect(early.json().detail).toContain('not terminated');
    await api.post(`/v1/subscriptions/${line.id}/changes`, { kind: 'terminated' });
    const closed = await api.patch(`/v1/accounts/${account.id}`, { status: 'closed' });
    expect([closed.statusCode, closed.json().status]).toEqual([200, 'closed']);
    const reopen = await api.patch(`/v1/accounts/${account.id}`, { status: 'active' });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().detail).toContain('closed');
    const newLine = await api.post(`/v1/accounts/${account.id}/subscriptions`, {
      identifiers: [{ kind: 'username', value: `late-${account.id}` }],
    });
    expect(newLine.statusCode).toBe(409);
  });

  it("hides another tenant's accounts: 404, never 403", async () => {
    const mine = await createAccount(api);
    const theirs = client(h, h.otherTenant.keys.admin);
    expect((await theirs.get(`/v1/accounts/${mine.id}`)).statusCode).toBe(404);
    expect((await theirs.patch(`/v1/accounts/${mine.id}`, { billCycleDay: 2 })).statusCode).toBe(404);
    const subscription = await theirs.post(`/v1/accounts/${mine.id}/subscriptions`, {
      identifiers: [{ kind: 'username', value: 'intruder' }],
    });
    expect(subscription.statusCode).toBe(404);
    const list = (await theirs.get(`/v1/accounts?customerId=${mine.customerId}`)).json();
    expect(list.items).toEqual([]);
    const byNumber = (await theirs.get(`/v1/accounts?accountNumber=${mine.accountNumber}`)).json();
    expect(byNumber.items.map((a: Account) => a.id)).not.toContain(mine.id);
  });

  it('needs a key, and the operator role to change anything', async () => {
    const account = await createAccount(api);
    expect((await h.app.inject({ url: '/v1/accounts' })).statusCode).toBe(401);
    const customerId = await createCustomer(api);
    for (const role of ['read-only', 'support'] as const) {
      const caller = client(h, h.tenant.keys[role]);
      const post = await caller.post('/v1/accounts', { customerId, kind: 'prepaid' });
      expect([post.statusCode, post.json().code]).toEqual([403, 'forbidden']);
      expect((await caller.patch(`/v1/accounts/${account.id}`, { billCycleDay: 3 })).statusCode).toBe(403);
      const line = await caller.post(`/v1/accounts/${account.id}/subscriptions`, {
        identifiers: [{ kind: 'username', value: 'nope' }],
      });
      expect(line.statusCode).toBe(403);
      expect((await caller.get(`/v1/accounts/${account.id}`)).statusCode).toBe(200);
      expect((await caller.get('/v1/accounts')).statusCode).toBe(200);
    }
    const admin = await client(h, h.tenant.keys.admin).post('/v1/accounts', { customerId, kind: 'prepaid' });
    expect(admin.statusCode).toBe(201);
  });

  it('lists with filters and pages with cursors in both orders', async () => {
    const tenant = await createTestTenant(h.database.db, 'List Telecom');
    const lister = operator(h, tenant);
    const customerA = await createCustomer(lister, 'A');
    const customerB = await createCustomer(lister, 'B');
    const kinds = ['prepaid', 'postpaid', 'hybrid', 'prepaid', 'postpaid'];
    const made: Account[] = [];
    for (const [i, kind] of kinds.entries())
      made.push(await createAccount(lister, { kind, customerId: i % 2 === 0 ? customerA : customerB }));
    await lister.patch(`/v1/accounts/${made[1]?.id}`, { status: 'suspended' });

    const numbers: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Account[]; nextCursor: string | null } = (
        await lister.get(`/v1/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      numbers.push(...page.items.map((a: Account) => a.accountNumber));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(numbers).toEqual(['A-000001', 'A-000002', 'A-000003', 'A-000004', 'A-000005']);
    expect(pages).toBe(3);

    const ids = async (query: string) =>
      (await lister.get(`/v1/accounts?${query}`)).json().items.map((a: Account) => a.accountNumber);
    expect(await ids('order=desc&limit=2')).toEqual(['A-000005', 'A-000004']);
    expect(await ids(`customerId=${customerA}`)).toEqual(['A-000001', 'A-000003', 'A-000005']);
    expect(await ids('kind=prepaid')).toEqual(['A-000001', 'A-000004']);
    expect(await ids('status=suspended')).toEqual(['A-000002']);
    expect(await ids(`kind=postpaid&customerId=${customerB}`)).toEqual(['A-000002']);
    expect(await ids('accountNumber=A-000003')).toEqual(['A-000003']);
    expect((await lister.get('/v1/accounts?kind=gold')).statusCode).toBe(400);
    expect((await lister.get('/v1/accounts?customerId=nope')).statusCode).toBe(400);
  });

  it('answers a forged cursor with 400 invalid_cursor', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])).toString(
      'base64url',
    );
    for (const cursor of [forged, 'garbage']) {
      const response = await api.get(`/v1/accounts?cursor=${cursor}`);
      expect([response.statusCode, response.json().code]).toEqual([400, 'invalid_cursor']);
    }
  });

  it('replays a creation with the same Idempotency-Key: one account, one number', async () => {
    const customerId = await createCustomer(api);
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: {
          authorization: `Bearer ${h.tenant.keys.operator}`,
          'idempotency-key': `acct-${customerId}`,
        },
        payload: { customerId, kind: 'prepaid' },
      });
    const responses = await Promise.all([send(), send(), send(), send(), send()]);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    const rows = await h.database.db
      .selectFrom('accounts')
      .select('account_number')
      .where('customer_id', '=', customerId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('writes every change to the audit chain, which verifies', async () => {
    const verification = await verifyAuditChain(h.database.db);
    expect(verification.breaks).toEqual([]);
    const actions = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('tenant_id', '=', h.tenant.id)
      .where('object_type', '=', 'account')
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(new Set(['account.created', 'account.updated']));
  });
});
