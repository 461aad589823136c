import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

const PASSWORD = 'correct horse battery staple';

describe(`a signed-in customer's own accounts and lines (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let cookies: Record<string, string>;
  let mine: { accountId: string; lineId: string };
  let theirs: { accountId: string; lineId: string };

  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: bearer(h.tenant.keys.admin), payload });

  async function customerWithLine(name: string, msisdn: string) {
    const customer = (await post('/v1/customers', { kind: 'person', givenName: name })).json();
    const account = (await post('/v1/accounts', { customerId: customer.id, kind: 'prepaid' })).json();
    const line = (
      await post(`/v1/accounts/${account.id}/subscriptions`, {
        identifiers: [{ kind: 'msisdn', value: msisdn }],
      })
    ).json();
    return { customerId: customer.id as string, accountId: account.id as string, lineId: line.id as string };
  }

  beforeAll(async () => {
    h = await openApiHarness();
    const a = await customerWithLine('Mine', '+4915100000001');
    const b = await customerWithLine('Theirs', '+4915100000002');
    mine = a;
    theirs = b;
    const email = `mine-${Date.now()}@example.com`;
    const user = await post('/v1/users', {
      email,
      password: PASSWORD,
      kind: 'customer',
      customerId: a.customerId,
    });
    expect(user.statusCode).toBe(201);
    const slug = (
      await h.database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', h.tenant.id)
        .executeTakeFirstOrThrow()
    ).slug;
    const session = await h.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: slug, email, password: PASSWORD },
    });
    cookies = { tollgate_session: session.cookies.find((c) => c.name === 'tollgate_session')?.value ?? '' };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists only their own accounts and lines', async () => {
    const accounts = (await h.app.inject({ url: '/v1/me/accounts', cookies })).json();
    expect(accounts.items.map((a: { id: string }) => a.id)).toEqual([mine.accountId]);
    const lines = (await h.app.inject({ url: '/v1/me/subscriptions', cookies })).json();
    expect(lines.items.map((l: { id: string }) => l.id)).toEqual([mine.lineId]);
    expect(JSON.stringify(lines)).not.toContain(theirs.lineId);
  });

  it('cannot reach the staff routes, nor another customer’s objects', async () => {
    expect((await h.app.inject({ url: '/v1/accounts', cookies })).statusCode).toBe(403);
    // Routes open to customers for their own objects answer another's as if it did not exist.
    expect((await h.app.inject({ url: `/v1/accounts/${theirs.accountId}`, cookies })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/v1/subscriptions/${theirs.lineId}`, cookies })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/v1/accounts/${mine.accountId}`, cookies })).statusCode).toBe(200);
  });

  it('is for customer sessions: an API key is refused', async () => {
    expect(
      (await h.app.inject({ url: '/v1/me/accounts', headers: bearer(h.tenant.keys.admin) })).statusCode,
    ).toBe(403);
  });
});
