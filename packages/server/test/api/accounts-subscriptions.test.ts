import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIdentifierTaken } from '../../src/accounts/identifier-claims.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type Account,
  type Client,
  client,
  createAccount,
  createSubscription,
  operator,
  type Subscription,
} from './accounts-fixtures.js';
import { type ApiHarness, bearer, createTestTenant, openApiHarness } from './api-fixtures.js';

describe(`subscriptions API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let api: Client;
  let account: Account;
  beforeAll(async () => {
    h = await openApiHarness();
    api = operator(h);
    account = await createAccount(api);
  });
  afterAll(async () => {
    await h?.close();
  });

  const newLine = (body: Record<string, unknown>) =>
    api.post(`/v1/accounts/${account.id}/subscriptions`, body);
  const lookUp = async (query: string, caller = api) =>
    (await caller.get(`/v1/subscriptions?${query}`)).json().items.map((s: Subscription) => s.id);

  it('creates a line with identifiers normalised for the German tenant', async () => {
    const response = await newLine({
      planId: '11111111-1111-4111-8111-111111111111',
      startsAt: '2026-01-01T00:00:00Z',
      identifiers: [
        { kind: 'msisdn', value: '030 1234567' },
        { kind: 'imsi', value: '262 01 123456789' },
        { kind: 'sip_uri', value: 'SIP:Alice@Example.COM' },
        { kind: 'ip', value: '2001:DB8:0:0::1' },
        { kind: 'radius_user', value: ' Alice@Example.NET ' },
        { kind: 'username', value: 'Alice' },
      ],
    });
    expect(response.statusCode).toBe(201);
    const line = response.json();
    expect(line).toMatchObject({
      accountId: account.id,
      planId: '11111111-1111-4111-8111-111111111111',
      status: 'active',
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: null,
    });
    expect(line.identifiers.map((i: { kind: string; value: string }) => [i.kind, i.value])).toEqual([
      ['imsi', '26201123456789'],
      ['ip', '2001:db8::1'],
      ['msisdn', '+49301234567'],
      ['radius_user', 'Alice@example.net'],
      ['sip_uri', 'sip:alice@example.com'],
      ['username', 'Alice'],
    ]);
    expect(line.identifiers.every((i: { validFrom: string }) => i.validFrom === line.startsAt)).toBe(true);
    const read = await client(h, h.tenant.keys['read-only']).get(`/v1/subscriptions/${line.id}`);
    expect(read.json()).toEqual(line);
    const changes = (await api.get(`/v1/subscriptions/${line.id}/changes`)).json();
    expect(changes.items).toMatchObject([
      {
        sequence: 1,
        kind: 'activated',
        effectiveAt: '2026-01-01T00:00:00.000Z',
        data: { planId: '11111111-1111-4111-8111-111111111111' },
        actor: { type: 'api_key' },
      },
    ]);
  });

  it('finds the holder of an identifier, however the number is written', async () => {
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'msisdn', value: '+49 40 5550001' }],
    });
    for (const query of [
      'identifier=msisdn:%2B49405550001',
      'identifier=msisdn:+49405550001', // the "+" arrives as a space
      'identifier=msisdn:040%205550001',
      'identifier=msisdn:0049405550001',
    ])
      expect(await lookUp(query), query).toEqual([line.id]);
    expect(await lookUp('identifier=msisdn:%2B49405550002')).toEqual([]);
    expect(await lookUp('identifier=msisdn:%2B49405550001', client(h, h.otherTenant.keys.admin))).toEqual([]);
    const bad = await api.get('/v1/subscriptions?identifier=msisdn:hello');
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'querystring:/identifier']);
    expect((await api.get('/v1/subscriptions?identifier=phone:123')).statusCode).toBe(400);
  });

  it.each([
    ['an MSISDN with letters', [{ kind: 'msisdn', value: 'call-me' }], '/identifiers/0/value'],
    ['a short IMSI', [{ kind: 'imsi', value: '12345' }], '/identifiers/0/value'],
    ['an IMSI of 16 digits', [{ kind: 'imsi', value: '1234567890123456' }], '/identifiers/0/value'],
    ['a SIP URI without a host', [{ kind: 'sip_uri', value: 'sip:alice' }], '/identifiers/0/value'],
    ['a bad IP address', [{ kind: 'ip', value: '300.1.1.1' }], '/identifiers/0/value'],
    [
      'one number twice, written two ways',
      [
        { kind: 'msisdn', value: '030 999' },
        { kind: 'msisdn', value: '+4930999' },
      ],
      '/identifiers/1/value',
    ],
    ['an unknown kind', [{ kind: 'email', value: 'a@b.c' }], '/identifiers/0/kind'],
    ['no identifiers', [], '/identifiers'],
  ])('answers %s with 400 naming the field', async (_name, identifiers, field) => {
    const response = await newLine({ identifiers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('refuses an MSISDN that another line holds: 409 naming the identifier', async () => {
    const first = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'msisdn', value: '030 7000001' }],
    });
    const otherAccount = await createAccount(api);
    const clash = await api.post(`/v1/accounts/${otherAccount.id}/subscriptions`, {
      identifiers: [
        { kind: 'username', value: 'clash-user' },
        { kind: 'msisdn', value: '+49 (0)30 700 0001' },
      ],
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'conflict', errors: [{ field: '/identifiers/1/value' }] });
    expect(clash.json().detail).toContain('msisdn +49307000001');
    expect(clash.json().detail).toContain(first.id);
    // Nothing of the refused line was written: its user name is still free.
    expect(await lookUp('identifier=username:clash-user')).toEqual([]);
    // Another tenant may hold the same number: identifiers are unique per tenant.
    const theirs = await createAccount(operator(h, h.otherTenant));
    const other = await operator(h, h.otherTenant).post(`/v1/accounts/${theirs.id}/subscriptions`, {
      identifiers: [{ kind: 'msisdn', value: '030 7000001' }],
    });
    expect(other.statusCode).toBe(201);
  });

  it('lets one of 10 concurrent claims of a number win', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => newLine({ identifiers: [{ kind: 'msisdn', value: '030 7000002' }] })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    // Refused by the check under the advisory lock, which names the holder, not by the index.
    const refusals = responses.filter((r) => r.statusCode === 409).map((r) => r.json().detail);
    expect(refusals.every((detail) => detail.startsWith('msisdn +49307000002 is held by'))).toBe(true);
  });

  it('adds identifiers, ends them, and lets another line take them only after the end', async () => {
    const line = await createSubscription(api, account.id, {
      startsAt: '2026-02-01T00:00:00Z',
      identifiers: [{ kind: 'imsi', value: '262010000000001' }],
    });
    const added = await api.post(`/v1/subscriptions/${line.id}/identifiers`, {
      kind: 'msisdn',
      value: '0151 2345678',
      validFrom: '2026-02-10T00:00:00Z',
    });
    expect(added.statusCode).toBe(201);
    const msisdn = added.json();
    expect(msisdn).toMatchObject({ subscriptionId: line.id, value: '+491512345678', validTo: null });

    const end = (body: unknown) =>
      api.post(`/v1/subscriptions/${line.id}/identifiers/${msisdn.id}/end`, body);
    const tooEarly = await end({ at: '2026-02-09T00:00:00Z' });
    expect([tooEarly.statusCode, tooEarly.json().errors[0].field]).toEqual([400, '/at']);
    const ended = await end({ at: '2026-03-01T00:00:00Z' });
    expect([ended.statusCode, ended.json().validTo]).toEqual([200, '2026-03-01T00:00:00.000Z']);
    expect((await end({ at: '2026-03-02T00:00:00Z' })).statusCode).toBe(409);

    const other = await createSubscription(api, account.id, {
      startsAt: '2026-01-01T00:00:00Z',
      identifiers: [{ kind: 'username', value: 'taker' }],
    });
    const claim = (validFrom: string) =>
      api.post(`/v1/subscriptions/${other.id}/identifiers`, {
        kind: 'msisdn',
        value: '+491512345678',
        validFrom,
      });
    const overlapping = await claim('2026-02-20T00:00:00Z');
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().detail).toContain('until 2026-03-01T00:00:00.000Z');
    expect((await claim('2026-01-15T00:00:00Z')).statusCode).toBe(409);
    expect((await claim('2026-03-01T00:00:00Z')).statusCode).toBe(201);

    // The number's history: both lines held it, at different times.
    const both = await lookUp('identifier=msisdn:01512345678');
    expect(both.sort()).toEqual([line.id, other.id].sort());
    expect(await lookUp('identifier=msisdn:01512345678&at=2026-02-15T00:00:00Z')).toEqual([line.id]);
    expect(await lookUp('identifier=msisdn:01512345678&at=2026-03-15T00:00:00Z')).toEqual([other.id]);
    expect(await lookUp('identifier=msisdn:01512345678&at=2026-01-15T00:00:00Z')).toEqual([]);

    const beforeStart = await api.post(`/v1/subscriptions/${line.id}/identifiers`, {
      kind: 'username',
      value: 'early',
      validFrom: '2026-01-01T00:00:00Z',
    });
    expect([beforeStart.statusCode, beforeStart.json().errors[0].field]).toEqual([400, '/validFrom']);
    const unknown = await api.post(
      `/v1/subscriptions/${line.id}/identifiers/00000000-0000-4000-8000-000000000000/end`,
      {},
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('ends an identifier now when the body is empty', async () => {
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'username', value: 'ends-now' }],
    });
    const before = Date.now();
    const ended = await h.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/${line.id}/identifiers/${line.identifiers[0]?.id}/end`,
      headers: bearer(h.tenant.keys.operator),
    });
    expect(ended.statusCode).toBe(200);
    expect(Date.parse(ended.json().validTo)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('has the database itself refuse a second current holder of an identifier', async () => {
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'imsi', value: '262019999999999' }],
    });
    const error = await h.database.db
      .insertInto('subscription_identifiers')
      .values({
        tenant_id: h.tenant.id,
        account_id: account.id,
        subscription_id: line.id,
        kind: 'imsi',
        value: '262019999999999',
        valid_from: new Date('2030-01-01T00:00:00Z'),
        valid_to: null,
      })
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isIdentifierTaken(error)).toBe(true);
  });

  it("hides another tenant's subscriptions and identifiers: 404", async () => {
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'username', value: 'private-line' }],
    });
    const theirs = client(h, h.otherTenant.keys.admin);
    const identifierId = line.identifiers[0]?.id;
    for (const response of [
      await theirs.get(`/v1/subscriptions/${line.id}`),
      await theirs.get(`/v1/subscriptions/${line.id}/changes`),
      await theirs.post(`/v1/subscriptions/${line.id}/changes`, { kind: 'paused' }),
      await theirs.post(`/v1/subscriptions/${line.id}/identifiers`, { kind: 'username', value: 'x' }),
      await theirs.post(`/v1/subscriptions/${line.id}/identifiers/${identifierId}/end`, {}),
    ])
      expect(response.statusCode).toBe(404);
    expect((await theirs.get(`/v1/subscriptions?accountId=${account.id}`)).json().items).toEqual([]);
    expect((await api.get(`/v1/subscriptions/${line.id}`)).json().status).toBe('active');
  });

  it('lets only operators and admins change lines', async () => {
    const line = await createSubscription(api, account.id, {
      identifiers: [{ kind: 'username', value: 'role-line' }],
    });
    for (const role of ['read-only', 'support'] as const) {
      const caller = client(h, h.tenant.keys[role]);
      for (const response of [
        await caller.post(`/v1/accounts/${account.id}/subscriptions`, {
          identifiers: [{ kind: 'username', value: 'nope' }],
        }),
        await caller.post(`/v1/subscriptions/${line.id}/changes`, { kind: 'paused' }),
        await caller.post(`/v1/subscriptions/${line.id}/identifiers`, { kind: 'username', value: 'x' }),
        await caller.post(`/v1/subscriptions/${line.id}/identifiers/${line.identifiers[0]?.id}/end`, {}),
      ])
        expect([response.statusCode, response.json().code]).toEqual([403, 'forbidden']);
      expect((await caller.get(`/v1/subscriptions/${line.id}`)).statusCode).toBe(200);
      expect((await caller.get(`/v1/subscriptions/${line.id}/changes`)).statusCode).toBe(200);
    }
    const admin = await client(h, h.tenant.keys.admin).post(`/v1/subscriptions/${line.id}/changes`, {
      kind: 'paused',
    });
    expect(admin.statusCode).toBe(201);
  });

  it('lists with filters and pages with cursors', async () => {
    const tenant = await createTestTenant(h.database.db, 'Lines Telecom');
    const lines = operator(h, tenant);
    const first = await createAccount(lines);
    const second = await createAccount(lines);
    const made: Subscription[] = [];
    for (let i = 0; i < 5; i++)
      made.push(
        await createSubscription(lines, i < 3 ? first.id : second.id, {
          identifiers: [{ kind: 'username', value: `line-${i}` }],
        }),
      );
    await lines.post(`/v1/subscriptions/${made[1]?.id}/changes`, { kind: 'suspended' });

    const seen: (string | undefined)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Subscription[]; nextCursor: string | null } = (
        await lines.get(`/v1/subscriptions?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((s: Subscription) => s.identifiers[0]?.value));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(['line-0', 'line-1', 'line-2', 'line-3', 'line-4']);
    expect(pages).toBe(3);

    const values = async (query: string) =>
      (await lines.get(`/v1/subscriptions?${query}`))
        .json()
        .items.map((s: Subscription) => s.identifiers[0]?.value);
    expect(await values(`accountId=${second.id}`)).toEqual(['line-3', 'line-4']);
    expect(await values('status=suspended')).toEqual(['line-1']);
    expect(await values(`accountId=${first.id}&status=active&order=desc`)).toEqual(['line-2', 'line-0']);
    expect(await values('identifier=username:line-3')).toEqual(['line-3']);
    expect((await lines.get('/v1/subscriptions?status=sleeping')).statusCode).toBe(400);
  });
});
