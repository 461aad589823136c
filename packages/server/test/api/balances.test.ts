import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';
import { type BalanceClient, balanceClient, openAccount, openLine, topUp } from './balances-fixtures.js';

describe(`balances and the ledger (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let api: BalanceClient;
  let reader: BalanceClient;
  beforeAll(async () => {
    h = await openApiHarness();
    api = balanceClient(h, h.tenant.keys.operator);
    reader = balanceClient(h, h.tenant.keys['read-only']);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('tops up the main bucket and shows it in the balance', async () => {
    const account = await openAccount(h);
    const empty = await reader.get(`/v1/accounts/${account.id}/balance`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ mainBalance: '0.00', availableToSpend: '0.00', creditLimit: null });

    const topped = await api.post(`/v1/accounts/${account.id}/topups`, {
      amount: '10.50',
      method: 'payment',
      reference: 'PAY-1',
    });
    expect(topped.statusCode).toBe(201);
    const transaction = topped.json();
    expect(transaction).toMatchObject({ kind: 'topup', reference: 'PAY-1', reversesId: null });
    expect(transaction.entries).toEqual([
      { bucketId: expect.any(String), book: 'account', unit: 'EUR', amount: '10.50' },
      { bucketId: null, book: 'topup', unit: 'EUR', amount: '-10.50' },
    ]);

    const balance = (await reader.get(`/v1/accounts/${account.id}/balance`)).json();
    expect(balance).toMatchObject({ currency: 'EUR', mainBalance: '10.50', availableToSpend: '10.50' });
    expect(balance.buckets).toEqual([
      expect.objectContaining({
        id: transaction.entries[0].bucketId,
        kind: 'money',
        isMain: true,
        balance: '10.50',
        reserved: '0.00',
        available: '10.50',
      }),
    ]);
  });

  it('refuses an adjustment below the floor, and allows one within it', async () => {
    const account = await openAccount(h);
    await topUp(api, account.id, '5.00');
    const refused = await api.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: '-5.01',
      reason: 'test',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'insufficient_balance' });
    expect(refused.json().detail).toMatch(/5\.00 EUR available/);
    const allowed = await api.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: '-5.00',
      reason: 'test',
    });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json()).toMatchObject({ kind: 'adjustment', description: 'test' });
    expect((await reader.get(`/v1/accounts/${account.id}/balance`)).json().mainBalance).toBe('0.00');
  });

  it('lets a postpaid account go down to minus its credit limit', async () => {
    const account = await openAccount(h, { kind: 'postpaid', creditLimit: '20.00' });
    const withinLimit = await api.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: '-20',
      reason: 'usage',
    });
    expect(withinLimit.statusCode).toBe(201);
    const beyond = await api.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: '-0.01',
      reason: 'usage',
    });
    expect(beyond.statusCode).toBe(422);
    const balance = (await reader.get(`/v1/accounts/${account.id}/balance`)).json();
    expect(balance).toMatchObject({ mainBalance: '-20.00', creditLimit: '20.00', availableToSpend: '0.00' });

    const unlimited = await openAccount(h, { kind: 'postpaid' });
    const deep = await api.post(`/v1/accounts/${unlimited.id}/adjustments`, {
      amount: '-1000',
      reason: 'usage',
    });
    expect(deep.statusCode).toBe(201);
    expect((await reader.get(`/v1/accounts/${unlimited.id}/balance`)).json().availableToSpend).toBeNull();
  });

  it('grants an allowance into a bucket of its own', async () => {
    const account = await openAccount(h);
    const granted = await api.post(`/v1/accounts/${account.id}/allowances`, {
      unit: 'seconds',
      amount: '3600',
      service: 'call',
      validTo: '2099-01-01T00:00:00Z',
      priority: 10,
      label: 'Monthly minutes',
    });
    expect(granted.statusCode).toBe(201);
    const { bucket, transaction } = granted.json();
    expect(bucket).toMatchObject({
      kind: 'allowance',
      unit: 'seconds',
      service: 'call',
      balance: '3600',
      available: '3600',
      priority: 10,
      validTo: '2099-01-01T00:00:00.000Z',
    });
    expect(transaction).toMatchObject({ kind: 'grant' });
    expect(transaction.entries).toEqual([
      { bucketId: bucket.id, book: 'account', unit: 'seconds', amount: '3600' },
      { bucketId: null, book: 'allowance', unit: 'seconds', amount: '-3600' },
    ]);
    const balance = (await reader.get(`/v1/accounts/${account.id}/balance`)).json();
    expect(balance.buckets.map((b: { unit: string }) => b.unit)).toEqual(['seconds', 'EUR']);

    const money = await api.post(`/v1/accounts/${account.id}/allowances`, { unit: 'EUR', amount: '2.5' });
    expect(money.json().bucket).toMatchObject({ unit: 'EUR', balance: '2.50' });
    const wrongCurrency = await api.post(`/v1/accounts/${account.id}/allowances`, {
      unit: 'USD',
      amount: '1',
    });
    expect(wrongCurrency.statusCode).toBe(400);
    const fractional = await api.post(`/v1/accounts/${account.id}/allowances`, {
      unit: 'bytes',
      amount: '1.5',
    });
    expect(fractional.statusCode).toBe(400);
  });

  it('lists the ledger newest first, page by page', async () => {
    const account = await openAccount(h);
    for (const amount of ['1.00', '2.00', '3.00']) await topUp(api, account.id, amount);
    const first = await reader.get(`/v1/accounts/${account.id}/ledger?limit=2`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const second = (
      await reader.get(`/v1/accounts/${account.id}/ledger?limit=2&cursor=${page.nextCursor}`)
    ).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const amounts = [...page.items, ...second.items].map(
      (t: { entries: { amount: string }[] }) => t.entries[0]!.amount,
    );
    expect(amounts.sort()).toEqual(['1.00', '2.00', '3.00']);
  });

  it('reverses a transaction once: a second reversal is 409', async () => {
    const account = await openAccount(h);
    const topped = (await topUp(api, account.id, '7.00')).json();
    const reversal = await api.post(`/v1/ledger-transactions/${topped.id}/reversal`, {
      reason: 'paid twice',
    });
    expect(reversal.statusCode).toBe(201);
    expect(reversal.json()).toMatchObject({
      kind: 'reversal',
      reversesId: topped.id,
      description: 'paid twice',
    });
    expect(reversal.json().entries.map((e: { amount: string }) => e.amount)).toEqual(['-7.00', '7.00']);
    expect((await reader.get(`/v1/accounts/${account.id}/balance`)).json().mainBalance).toBe('0.00');

    const again = await api.post(`/v1/ledger-transactions/${topped.id}/reversal`, { reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
  });

  it('refuses a reversal of money already spent', async () => {
    const account = await openAccount(h);
    const topped = (await topUp(api, account.id, '7.00')).json();
    await api.post(`/v1/accounts/${account.id}/adjustments`, { amount: '-3', reason: 'spent' });
    const reversal = await api.post(`/v1/ledger-transactions/${topped.id}/reversal`, {
      reason: 'chargeback',
    });
    expect(reversal.statusCode).toBe(422);
    expect(reversal.json().code).toBe('insufficient_balance');
  });

  it('sets, reads, changes and removes a spending cap', async () => {
    const account = await openAccount(h, { timeZone: 'America/New_York' });
    const url = `/v1/subscriptions/${await openLine(api, account.id)}/spending-cap`;
    expect((await reader.get(url)).statusCode).toBe(404);

    const set = await api.put(url, { limit: '25.00', period: 'month' });
    expect(set.statusCode).toBe(200);
    const cap = set.json();
    expect(cap).toMatchObject({ limit: '25.00', period: 'month', spent: '0.00', remaining: '25.00' });
    // The first of the month, at midnight in New York (04:00 or 05:00 UTC).
    expect(cap.periodStart).toMatch(/^\d{4}-\d{2}-01T0[45]:00:00\.000Z$/);
    expect((await reader.get(url)).json()).toEqual(cap);

    const daily = (await api.put(url, { limit: '5', period: 'day' })).json();
    expect(daily).toMatchObject({ limit: '5.00', period: 'day' });
    expect(daily.periodStart).toMatch(/T0[45]:00:00\.000Z$/);

    expect((await api.delete(url)).statusCode).toBe(204);
    expect((await reader.get(url)).statusCode).toBe(404);
    expect((await api.delete(url)).statusCode).toBe(404);
  });

  it('replays a top-up sent twice with one Idempotency-Key, crediting once', async () => {
    const account = await openAccount(h);
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: `/v1/accounts/${account.id}/topups`,
        headers: { ...bearer(h.tenant.keys.operator), 'idempotency-key': `topup-${account.id}` },
        payload: { amount: '4.00', method: 'payment' },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect((await reader.get(`/v1/accounts/${account.id}/balance`)).json().mainBalance).toBe('4.00');
  });

  it('documents the balance routes in the OpenAPI document', async () => {
    const openapi = (await h.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/accounts/{accountId}/balance',
        '/v1/accounts/{accountId}/topups',
        '/v1/accounts/{accountId}/adjustments',
        '/v1/accounts/{accountId}/allowances',
        '/v1/accounts/{accountId}/ledger',
        '/v1/ledger-transactions/{id}/reversal',
        '/v1/subscriptions/{id}/spending-cap',
        '/v1/voucher-batches',
        '/v1/accounts/{accountId}/voucher-redemptions',
        '/v1/accounts/{accountId}/auto-recharge',
      ]),
    );
  });

  it("answers 404 for another tenant's account, transaction and line", async () => {
    const theirs = await openAccount(h, {}, h.otherTenant);
    const their = balanceClient(h, h.otherTenant.keys.operator);
    const topped = (await topUp(their, theirs.id, '1.00')).json();
    expect((await reader.get(`/v1/accounts/${theirs.id}/balance`)).statusCode).toBe(404);
    expect((await reader.get(`/v1/accounts/${theirs.id}/ledger`)).statusCode).toBe(404);
    expect((await topUp(api, theirs.id, '1.00')).statusCode).toBe(404);
    expect(
      (await api.post(`/v1/accounts/${theirs.id}/adjustments`, { amount: '1', reason: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await api.post(`/v1/ledger-transactions/${topped.id}/reversal`, { reason: 'x' })).statusCode,
    ).toBe(404);
    const line = await openLine(their, theirs.id);
    expect(
      (await api.put(`/v1/subscriptions/${line}/spending-cap`, { limit: '1', period: 'day' })).statusCode,
    ).toBe(404);
  });
});
