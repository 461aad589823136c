import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPayment } from '../../src/payments/collect-payment.js';
import { gatewayPaymentCollector } from '../../src/payments/gateway-payment-collector.js';
import { TEST_ACTOR } from '../mediation/mediation-fixture.js';
import { MAY_1, openPaymentsFixture, type PaymentsFixture } from './payments-fixture.js';

describe('payments', () => {
  let f: PaymentsFixture;
  beforeEach(async () => {
    f = await openPaymentsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const invoice = async (id: string) => (await f.call('GET', `/v1/invoices/${id}`)).json();
  const receivable = async (accountId: string) =>
    (await f.call('GET', `/v1/accounts/${accountId}/receivable`)).json();

  it('charges once for the same payment request sent 1,000 times, 50 at a time', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000201');
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: 'tok_sandbox_success' });
    const statuses: number[] = [];
    const ids = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          f.call(
            'POST',
            `/v1/accounts/${accountId}/payment-collections`,
            { invoiceId },
            {
              ...f.headers.operator,
              'idempotency-key': 'pay-once',
            },
          ),
        ),
      );
      for (const answer of answers) {
        statuses.push(answer.statusCode);
        ids.add(answer.json().id);
      }
    }
    expect(statuses).toHaveLength(1000);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(ids.size).toBe(1);
    // The use case alone, past the HTTP layer's stored answers: the payment's own key holds too.
    const direct = await Promise.all(
      Array.from({ length: 50 }, () =>
        collectPayment(
          f.database.db,
          f.gateways,
          f.tenantId,
          TEST_ACTOR,
          { accountId, purpose: 'payment', amountMicros: 1_000_000n, idempotencyKey: 'direct-once' },
          f.clock.now,
        ),
      ),
    );
    expect(direct.every((result) => result.ok)).toBe(true);
    expect(new Set(direct.map((result) => (result.ok ? result.payment.id : null))).size).toBe(1);
    expect(f.sandbox.charges().filter((charge) => charge.status === 'succeeded')).toHaveLength(2);
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid', paid: '71.40', amountDue: '0.00' });
    // The second payment found nothing owed: it waits as credit.
    expect(await receivable(accountId)).toMatchObject({ outstanding: '0.00', credit: '1.00' });
  });

  it('applies manual payments: partial, then overpaid, the credit paying the next invoice', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000202');
    const record = (amount: string, key: string, extra: object = {}) =>
      f.call(
        'POST',
        `/v1/accounts/${accountId}/payments`,
        { source: 'bank_transfer', amount, currency: 'EUR', ...extra },
        {
          ...f.headers.operator,
          'idempotency-key': key,
        },
      );
    const first = await record('40.00', 'bank-1', { reference: 'INV part 1' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ allocated: '40.00', unallocated: '0.00' });
    expect(await invoice(invoiceId)).toMatchObject({
      status: 'finalized',
      paid: '40.00',
      amountDue: '31.40',
    });
    const again = await record('40.00', 'bank-1', { reference: 'INV part 1' });
    expect([again.statusCode, again.json().id]).toEqual([201, first.json().id]);
    expect((await record('41.00', 'bank-1')).statusCode).toBe(409);
    const second = await record('50.00', 'bank-2');
    expect(second.json()).toMatchObject({ allocated: '31.40', unallocated: '18.60' });
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid', amountDue: '0.00' });
    expect(await receivable(accountId)).toMatchObject({ credit: '18.60', outstanding: '0.00' });
    // May's invoice (35.70) takes the credit when collections run.
    f.clock.now = new Date(MAY_1);
    await f.billRun(MAY_1);
    const may = (await f.invoices(accountId)).find((i) => i.id !== invoiceId)!;
    expect(may.total).toBe('35.70');
    await f.call('POST', '/v1/collection-runs', { accountIds: [accountId] });
    expect(await invoice(may.id)).toMatchObject({ paid: '18.60', amountDue: '17.10' });
    expect(await receivable(accountId)).toMatchObject({ credit: '0.00', outstanding: '17.10' });
    const wrongCurrency = await record('10.00', 'bank-3', { currency: 'USD' });
    expect([wrongCurrency.statusCode, wrongCurrency.json().code]).toEqual([422, 'unprocessable']);
  });

  it('turns what a credit note gives back on a paid invoice into credit, and marks invoices paid by hand', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000205');
    await f.call('POST', `/v1/accounts/${accountId}/payments`, {
      source: 'cash',
      amount: '71.40',
      currency: 'EUR',
    });
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid' });
    const note = await f.call(
      'POST',
      `/v1/invoices/${invoiceId}/credit-notes`,
      { reason: 'goodwill', lines: [{ position: 1 }] },
      f.headers.admin,
    );
    expect(note.statusCode).toBe(201);
    // Line 1 is 30.00 net + 5.70 VAT: paid, now credited, so it waits as credit.
    expect(await receivable(accountId)).toMatchObject({ credit: '35.70', outstanding: '0.00' });
    expect(await invoice(invoiceId)).toMatchObject({ paid: '35.70', credited: '35.70', amountDue: '0.00' });
    f.clock.now = new Date(MAY_1);
    await f.billRun(MAY_1);
    const may = (await f.invoices(accountId)).find((i) => i.id !== invoiceId)!;
    await f.call('POST', '/v1/collection-runs', { accountIds: [accountId] });
    expect(await invoice(may.id)).toMatchObject({ status: 'paid', amountDue: '0.00' });
    const next = await f.billedAccount('+4915200000206');
    const marked = await f.call('POST', `/v1/invoices/${next.invoiceId}/payment`, {});
    expect(marked.statusCode).toBe(200);
    expect(await invoice(next.invoiceId)).toMatchObject({ status: 'paid', paid: '71.40' });
    expect((await f.call('POST', `/v1/invoices/${next.invoiceId}/payment`, {})).statusCode).toBe(409);
  });

  it('refunds and chargebacks reopen the invoices the payment paid', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000203');
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: 'tok_sandbox_success' });
    const paid = await f.call('POST', `/v1/accounts/${accountId}/payment-collections`, { amount: '80.00' });
    expect(paid.json()).toMatchObject({ status: 'succeeded', allocated: '71.40', unallocated: '8.60' });
    const paymentId = paid.json().id;
    // A refund comes out of the credit first...
    const refund = await f.call(
      'POST',
      `/v1/payments/${paymentId}/refunds`,
      { amount: '8.60' },
      f.headers.admin,
    );
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({ kind: 'refund', status: 'succeeded', amount: '8.60' });
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid' });
    // ...then out of the invoice, which is owed again.
    await f.call('POST', `/v1/payments/${paymentId}/refunds`, { amount: '10.00' }, f.headers.admin);
    expect(await invoice(invoiceId)).toMatchObject({
      status: 'finalized',
      paid: '61.40',
      amountDue: '10.00',
    });
    const tooMuch = await f.call(
      'POST',
      `/v1/payments/${paymentId}/refunds`,
      { amount: '61.41' },
      f.headers.admin,
    );
    expect(tooMuch.statusCode).toBe(422);
    const chargeback = await f.call('POST', `/v1/payments/${paymentId}/chargebacks`, {
      amount: '61.40',
      reason: 'fraud claim',
    });
    expect(chargeback.json()).toMatchObject({ kind: 'chargeback', amount: '61.40' });
    expect(await invoice(invoiceId)).toMatchObject({ status: 'finalized', paid: '0.00', amountDue: '71.40' });
    const payment = (await f.call('GET', `/v1/payments/${paymentId}`)).json();
    expect(payment).toMatchObject({
      refunded: '18.60',
      chargedBack: '61.40',
      allocated: '0.00',
      unallocated: '0.00',
    });
    const refunds = f.sandbox.charges().find((c) => c.paymentId === paymentId)!;
    expect(refunds.refundedMicros).toBe(18_600_000n);
  });

  it('verifies gateway webhooks and ends in the right state whatever their order', async () => {
    const { accountId, invoiceId } = await f.billedAccount('+4915200000204');
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, {
      token: 'tok_sandbox_authentication_required',
    });
    const pending = await f.call('POST', `/v1/accounts/${accountId}/payment-collections`, { invoiceId });
    expect(pending.json()).toMatchObject({
      status: 'requires_action',
      failureCode: 'authentication_required',
    });
    const reference: string = pending.json().gatewayReference;
    const nowMs = f.clock.now.getTime();
    const deliver = (event: { rawBody: Buffer; headers: Record<string, string> }) =>
      f.app.inject({
        method: 'POST',
        url: '/v1/gateway-webhooks/sandbox',
        headers: event.headers,
        payload: event.rawBody,
      });
    // An earlier "failed" notice, signed before the customer authenticated, arrives last.
    const early = f.sandbox.signEvent(
      {
        id: 'evt_early_failure',
        type: 'charge.failed',
        created: Math.floor(nowMs / 1000) - 60,
        data: { reference, amountMicros: '71400000', tenantId: f.tenantId },
      },
      nowMs,
    );
    const succeeded = f.sandbox.completeAuthentication(reference, true, nowMs);
    const tampered = {
      ...succeeded,
      rawBody: Buffer.from(succeeded.rawBody.toString().replace('71400000', '1')),
    };
    const refusedTamper = await deliver(tampered);
    expect([refusedTamper.statusCode, refusedTamper.json().errors?.[0]?.message]).toEqual([
      400,
      'invalid_signature',
    ]);
    const old = f.sandbox.signEvent(JSON.parse(succeeded.rawBody.toString()), nowMs - 301_000);
    const refusedOld = await deliver(old);
    expect([refusedOld.statusCode, refusedOld.json().errors?.[0]?.message]).toEqual([400, 'stale_event']);

    expect((await deliver(succeeded)).json().outcome).toBe('payment succeeded');
    expect(await invoice(invoiceId)).toMatchObject({ status: 'paid' });
    expect((await deliver(early)).json().outcome).toBe('payment succeeded');
    expect((await deliver(succeeded)).json().outcome).toMatch(/^duplicate/);
    const allocations = await f.database.db
      .selectFrom('payment_allocations')
      .select('amount_micros')
      .where('account_id', '=', accountId)
      .execute();
    expect(allocations.map((a) => a.amount_micros)).toEqual([71_400_000n]);

    // Refund notices carry totals: the later total arriving first is not counted twice.
    const refund = (id: string, total: string, createdOffset: number) =>
      f.sandbox.signEvent(
        {
          id,
          type: 'charge.refunded',
          created: Math.floor(nowMs / 1000) + createdOffset,
          data: { reference, amountMicros: total, tenantId: f.tenantId },
        },
        nowMs,
      );
    await deliver(refund('evt_refund_2', '30000000', 20));
    await deliver(refund('evt_refund_1', '10000000', 10));
    const paymentId = pending.json().id;
    expect((await f.call('GET', `/v1/payments/${paymentId}`)).json()).toMatchObject({ refunded: '30.00' });
    expect(await invoice(invoiceId)).toMatchObject({ status: 'finalized', amountDue: '30.00' });
    const dispute = f.sandbox.disputeCharge(reference, 41_400_000n, nowMs);
    expect((await deliver(dispute)).json().outcome).toBe('chargeback recorded');
    expect((await deliver(dispute)).json().outcome).toMatch(/^duplicate/);
    expect(await invoice(invoiceId)).toMatchObject({ amountDue: '71.40' });
  });

  it('collects prepaid auto-recharges through the default method, kept apart from invoice credit', async () => {
    const { accountId } = await f.billedAccount('+4915200000207');
    const collector = gatewayPaymentCollector(f.database.db, f.gateways, () => f.clock.now);
    const request = {
      tenantId: f.tenantId,
      accountId,
      amountMicros: 10_000_000n,
      currency: 'EUR',
      idempotencyKey: 'rule-1:attempt-1',
    };
    expect(await collector.collect(request)).toMatchObject({ ok: false, code: 'no_payment_method' });
    await f.call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: 'tok_sandbox_success' });
    const collected = await collector.collect({ ...request, idempotencyKey: 'rule-1:attempt-2' });
    expect(collected.ok).toBe(true);
    expect(await collector.collect({ ...request, idempotencyKey: 'rule-1:attempt-2' })).toEqual(collected);
    expect(f.sandbox.charges().filter((c) => c.accountId === accountId)).toHaveLength(1);
    expect(await receivable(accountId)).toMatchObject({ credit: '0.00', outstanding: '71.40' });
  });
});
