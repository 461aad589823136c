import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireLapsedBuckets } from '../../src/balances/expire-lapsed-buckets.js';
import type { PaymentCollector, PaymentRequest } from '../../src/balances/payment-collector.js';
import { noPaymentMethodCollector } from '../../src/balances/payment-collector.js';
import { rechargeIfBelowThreshold } from '../../src/balances/recharge-if-below-threshold.js';
import { verifyLedger } from '../../src/balances/verify-ledger.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, openApiHarness } from './api-fixtures.js';
import { type BalanceClient, balanceClient, openAccount, topUp } from './balances-fixtures.js';

/** A fake of the outside payment gateway, behind the same interface: it approves and counts. */
function approvingGateway(): PaymentCollector & { readonly requests: PaymentRequest[] } {
  const requests: PaymentRequest[] = [];
  return {
    requests,
    collect: async (request) => {
      requests.push(request);
      // A real gateway takes a while: long enough for concurrent callers to overlap.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { ok: true, reference: `gw-${requests.length}` };
    },
  };
}

describe(`auto-recharge, expiry and ledger verification (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let api: BalanceClient;
  beforeAll(async () => {
    h = await openApiHarness();
    api = balanceClient(h, h.tenant.keys.operator);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets, reads and removes an auto-recharge rule', async () => {
    const account = await openAccount(h);
    const url = `/v1/accounts/${account.id}/auto-recharge`;
    expect((await api.get(url)).statusCode).toBe(404);
    const set = await api.put(url, { threshold: '5.00', amount: '20.00', enabled: true });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ threshold: '5.00', amount: '20.00', enabled: true });
    expect((await api.get(url)).json()).toEqual(set.json());
    expect((await api.delete(url)).statusCode).toBe(204);
    expect((await api.get(url)).statusCode).toBe(404);
  });

  it('recharges once when concurrent callers see the same dip', async () => {
    const account = await openAccount(h);
    await topUp(api, account.id, '2.00');
    await api.put(`/v1/accounts/${account.id}/auto-recharge`, {
      threshold: '5.00',
      amount: '20.00',
      enabled: true,
    });
    const gateway = approvingGateway();
    const call = { tenantId: h.tenant.id, accountId: account.id, now: new Date() };
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => rechargeIfBelowThreshold(h.database.db, gateway, call)),
    );
    expect(outcomes.filter((o) => o.status === 'recharged')).toHaveLength(1);
    expect(gateway.requests).toHaveLength(1);
    expect(gateway.requests[0]).toMatchObject({ amountMicros: 20_000_000n, currency: 'EUR' });
    const balance = (await api.get(`/v1/accounts/${account.id}/balance`)).json();
    expect(balance.mainBalance).toBe('22.00');
    const ledger = (await api.get(`/v1/accounts/${account.id}/ledger`)).json();
    expect(ledger.items[0]).toMatchObject({ kind: 'auto_recharge', reference: 'gw-1' });
    // Above the threshold now: nothing to do.
    expect(await rechargeIfBelowThreshold(h.database.db, gateway, call)).toEqual({ status: 'not_needed' });
  });

  it('records a failed attempt without a payment method, and does not retry at once', async () => {
    const account = await openAccount(h);
    await api.put(`/v1/accounts/${account.id}/auto-recharge`, {
      threshold: '1.00',
      amount: '10.00',
      enabled: true,
    });
    const call = { tenantId: h.tenant.id, accountId: account.id, now: new Date() };
    const first = await rechargeIfBelowThreshold(h.database.db, noPaymentMethodCollector, call);
    expect(first).toMatchObject({ status: 'failed', code: 'no_payment_method' });
    const second = await rechargeIfBelowThreshold(h.database.db, noPaymentMethodCollector, call);
    expect(second).toEqual({ status: 'skipped', reason: 'recent_failure' });
    const attempts = await h.database.db
      .selectFrom('auto_recharge_attempts')
      .select(['status', 'message'])
      .where('account_id', '=', account.id)
      .execute();
    expect(attempts).toEqual([{ status: 'failed', message: expect.stringMatching(/^no_payment_method/) }]);
  });

  it('expires what is left of a lapsed allowance', async () => {
    const account = await openAccount(h);
    const validTo = new Date(Date.now() + 60_000);
    const granted = await api.post(`/v1/accounts/${account.id}/allowances`, {
      unit: 'messages',
      amount: '100',
      validTo: validTo.toISOString(),
    });
    expect(granted.statusCode).toBe(201);
    const bucketId = granted.json().bucket.id;
    expect((await expireLapsedBuckets(h.database.db, new Date())).transactionIds).toHaveLength(0);
    const run = await expireLapsedBuckets(h.database.db, new Date(validTo.getTime() + 1000));
    expect(run.expired).toBeGreaterThanOrEqual(1);
    const bucket = (await api.get(`/v1/accounts/${account.id}/balance`))
      .json()
      .buckets.find((b: { id: string }) => b.id === bucketId);
    expect(bucket.balance).toBe('0');
    const ledger = (await api.get(`/v1/accounts/${account.id}/ledger`)).json();
    expect(ledger.items[0]).toMatchObject({ kind: 'expiry' });
    expect(ledger.items[0].entries).toEqual([
      { bucketId, book: 'account', unit: 'messages', amount: '-100' },
      { bucketId: null, book: 'expiry', unit: 'messages', amount: '100' },
    ]);
    // Run again: nothing left to expire.
    expect((await expireLapsedBuckets(h.database.db, new Date(validTo.getTime() + 2000))).expired).toBe(0);
  });

  it('finds the ledger clean after all that', async () => {
    const verification = await verifyLedger(h.database.db, { tenantId: h.tenant.id });
    expect(verification.problems).toEqual([]);
    expect(verification.bucketsChecked).toBeGreaterThan(3);
    expect(verification.transactionsChecked).toBeGreaterThan(3);
    expect((await verifyLedger(h.database.db)).problems).toEqual([]);
  });

  it('detects a tampered cached balance and an unbalanced transaction', async () => {
    const account = await openAccount(h);
    const topped = (await topUp(api, account.id, '3.00')).json();
    const bucketId: string = topped.entries[0].bucketId;
    await h.database.db
      .updateTable('balance_buckets')
      .set({ balance: sql`balance + 1000000` })
      .where('id', '=', bucketId)
      .execute();
    const forged = await h.database.db
      .insertInto('ledger_transactions')
      .values({
        tenant_id: h.tenant.id,
        account_id: account.id,
        kind: 'adjustment',
        reverses_id: null,
        reference: null,
        description: 'forged',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.database.db
      .insertInto('ledger_entries')
      .values({
        tenant_id: h.tenant.id,
        account_id: account.id,
        transaction_id: forged.id,
        bucket_id: null,
        book: 'adjustment',
        unit: 'EUR',
        amount: -500n,
      })
      .execute();

    const { problems } = await verifyLedger(h.database.db, { tenantId: h.tenant.id });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'bucket_balance_mismatch',
          bucketId,
          expected: 3_000_000n,
          actual: 4_000_000n,
        }),
        expect.objectContaining({
          kind: 'unbalanced_transaction',
          transactionId: forged.id,
          unit: 'EUR',
          expected: 0n,
          actual: -500n,
        }),
      ]),
    );
    expect(problems).toHaveLength(2);
    // The other tenant's ledger is untouched.
    expect((await verifyLedger(h.database.db, { tenantId: h.otherTenant.id })).problems).toEqual([]);
  });
});
