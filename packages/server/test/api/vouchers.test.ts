import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, openApiHarness } from './api-fixtures.js';
import { type BalanceClient, balanceClient, openAccount } from './balances-fixtures.js';

describe(`vouchers (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let admin: BalanceClient;
  let operator: BalanceClient;
  beforeAll(async () => {
    h = await openApiHarness();
    admin = balanceClient(h, h.tenant.keys.admin);
    operator = balanceClient(h, h.tenant.keys.operator);
  });
  afterAll(async () => {
    await h?.close();
  });

  const createBatch = async (client: BalanceClient, fields: Record<string, unknown> = {}) => {
    const response = await client.post('/v1/voucher-batches', {
      name: 'Scratch cards',
      amount: '15.00',
      currency: 'EUR',
      count: 3,
      expiresAt: '2099-12-31T00:00:00Z',
      ...fields,
    });
    if (response.statusCode !== 201) throw new Error(`batch: ${response.body}`);
    return response.json() as { batch: { id: string }; codes: { serial: number; code: string }[] };
  };
  const redeem = (client: BalanceClient, accountId: string, code: string) =>
    client.post(`/v1/accounts/${accountId}/voucher-redemptions`, { code });

  it('creates a batch whose codes are shown once and stored only as hashes', async () => {
    const created = await createBatch(admin);
    expect(created.batch).toMatchObject({
      name: 'Scratch cards',
      amount: '15.00',
      count: 3,
      active: 3,
      redeemed: 0,
    });
    expect(created.codes.map((c) => c.serial)).toEqual([1, 2, 3]);
    for (const { code } of created.codes) expect(code).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    const stored = await h.database.db
      .selectFrom('vouchers')
      .select('code_hash')
      .where('batch_id', '=', created.batch.id)
      .execute();
    const digits = created.codes.map((c) => c.code.replaceAll('-', ''));
    for (const { code_hash } of stored) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(digits.some((d) => code_hash.includes(d))).toBe(false);
    }
    expect(
      (
        await operator.post('/v1/voucher-batches', {
          name: 'x',
          amount: '1',
          currency: 'EUR',
          count: 1,
          expiresAt: '2099-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(403);
    const tooMany = await admin.post('/v1/voucher-batches', {
      name: 'x',
      amount: '1',
      currency: 'EUR',
      count: 10_001,
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('redeems a code once into the main balance; the second time is refused', async () => {
    const { codes, batch } = await createBatch(admin);
    const account = await openAccount(h);
    const first = await redeem(operator, account.id, codes[0]!.code.replaceAll('-', ' '));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ kind: 'voucher' });
    expect(first.json().entries).toEqual([
      expect.objectContaining({ book: 'account', amount: '15.00' }),
      expect.objectContaining({ book: 'voucher', amount: '-15.00' }),
    ]);
    const balance = await operator.get(`/v1/accounts/${account.id}/balance`);
    expect(balance.json().mainBalance).toBe('15.00');

    const second = await redeem(operator, account.id, codes[0]!.code);
    expect(second.statusCode).toBe(422);
    expect(second.json()).toMatchObject({ code: 'voucher_not_redeemable' });
    expect(second.json().detail).toMatch(/already been redeemed/);

    const list = (await operator.get('/v1/voucher-batches')).json();
    expect(list.items.find((b: { id: string }) => b.id === batch.id)).toMatchObject({
      active: 2,
      redeemed: 1,
      void: 0,
    });
  });

  it('refuses concurrent redemptions of one code but one', async () => {
    const { codes } = await createBatch(admin);
    const account = await openAccount(h);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => redeem(operator, account.id, codes[1]!.code)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422, 422, 422]);
    expect((await operator.get(`/v1/accounts/${account.id}/balance`)).json().mainBalance).toBe('15.00');
  });

  it('refuses an expired, an unknown, a malformed and a foreign-currency code', async () => {
    const { codes, batch } = await createBatch(admin);
    const account = await openAccount(h);
    await h.database.db
      .updateTable('voucher_batches')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', batch.id)
      .execute();
    const expired = await redeem(operator, account.id, codes[2]!.code);
    expect(expired.statusCode).toBe(422);
    expect(expired.json().detail).toMatch(/expired/);

    const unknown = await redeem(operator, account.id, '0000-0000-0000-0000');
    expect(unknown.json()).toMatchObject({ code: 'voucher_not_redeemable' });
    expect(unknown.json().detail).toMatch(/no voucher has this code/);
    expect((await redeem(operator, account.id, 'abc')).json().code).toBe('voucher_not_redeemable');

    const dollars = await createBatch(admin, { currency: 'USD' });
    const wrong = await redeem(operator, account.id, dollars.codes[0]!.code);
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().detail).toMatch(/USD/);
  });

  it("treats another tenant's code as unknown, and another tenant's account as absent", async () => {
    const theirs = await createBatch(balanceClient(h, h.otherTenant.keys.admin));
    const account = await openAccount(h);
    const foreign = await redeem(operator, account.id, theirs.codes[0]!.code);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().detail).toMatch(/no voucher has this code/);

    const { codes } = await createBatch(admin);
    const theirAccount = await openAccount(h, {}, h.otherTenant);
    expect((await redeem(operator, theirAccount.id, codes[0]!.code)).statusCode).toBe(404);
    const list = (await balanceClient(h, h.otherTenant.keys['read-only']).get('/v1/voucher-batches')).json();
    expect(list.items).toHaveLength(1);
  });
});
