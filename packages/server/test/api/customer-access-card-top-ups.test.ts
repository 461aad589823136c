import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardTopUp, cardTopUpReference } from '../../src/payments/card-top-up.js';
import { mainBalance } from '../charging/charging-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type CustomerAccessFixture, openCustomerAccessFixture } from './customer-access-fixture.js';

const EUR = 1_000_000n;

describe(`card top-ups of a prepaid balance (${DATABASE_LABEL})`, () => {
  let f: CustomerAccessFixture;
  /** A prepaid account of customer A, with A's cards: one that pays, one that is declined. */
  let prepaid: string;
  let goodCard: string;
  let badCard: string;

  const balance = async () => (await mainBalance(f, prepaid)).balance;
  const topUp = (body: object, key: string, who = f.as(f.a)) =>
    who('POST', `/v1/accounts/${prepaid}/card-top-ups`, body, { 'idempotency-key': key });
  const succeededCharges = () => f.sandbox.charges().filter((charge) => charge.status === 'succeeded').length;

  beforeAll(async () => {
    f = await openCustomerAccessFixture();
    const account = await f.call('POST', '/v1/accounts', { customerId: f.a.customerId, kind: 'prepaid' });
    expect(account.statusCode).toBe(201);
    prepaid = account.json().id;
    const call = f.as(f.a);
    const card = async (token: string) =>
      (await call('POST', `/v1/accounts/${prepaid}/payment-methods`, { token })).json().id as string;
    goodCard = await card('tok_sandbox_success');
    badCard = await card('tok_sandbox_decline');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('charges the card and tops up the balance, once per Idempotency-Key', async () => {
    const before = await balance();
    const charges = succeededCharges();
    const first = await topUp({ amount: '20.00', paymentMethodId: goodCard }, 'top-up-1');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      payment: { status: 'succeeded', amount: '20.00', paymentMethodId: goodCard, accountId: prepaid },
      transaction: { kind: 'topup', accountId: prepaid, description: 'Card top-up' },
    });
    expect(await balance()).toBe(before + 20n * EUR);
    const again = await topUp({ amount: '20.00', paymentMethodId: goodCard }, 'top-up-1');
    expect([again.statusCode, again.json().payment.id]).toEqual([201, first.json().payment.id]);
    expect(await balance()).toBe(before + 20n * EUR);
    expect(succeededCharges()).toBe(charges + 1);
    // The balance shows it to the customer, and the payment is theirs, not invoice credit.
    const shown = (await f.as(f.a)('GET', `/v1/accounts/${prepaid}/balance`)).json();
    expect(shown.mainBalance).toBe('20.00');
    const receivable = (await f.call('GET', `/v1/accounts/${prepaid}/receivable`)).json();
    expect(receivable.credit).toBe('0.00');
    const mine = (await f.as(f.a)('GET', '/v1/me/payments')).json();
    expect(mine.items.map((p: { id: string }) => p.id)).toContain(first.json().payment.id);
  });

  it('tops up once when the use case itself is asked again and at once with one key', async () => {
    const before = await balance();
    const input = { accountId: prepaid, amount: '7.50', paymentMethodId: goodCard, idempotencyKey: 'direct' };
    const run = () =>
      cardTopUp(f.database.db, f.gateways, f.tenantId, { type: 'user', id: 'test' }, input, f.clock.now);
    // At once: one request charges and tops up; the others find its payment (waiting, or done).
    const together = await Promise.all([run(), run(), run(), run()]);
    expect(together.every((result) => result.ok)).toBe(true);
    const fresh = together.filter((result) => result.ok && result.status === 'topped_up' && !result.replayed);
    expect(fresh).toHaveLength(1);
    const later = await run();
    expect(later).toMatchObject({ ok: true, status: 'topped_up', replayed: true });
    expect(await balance()).toBe(before + 7_500_000n);
    const first = fresh[0]!;
    const paymentId = first.ok && first.status === 'topped_up' ? first.payment.id : '';
    const postings = await f.database.db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('account_id', '=', prepaid)
      .where('reference', '=', cardTopUpReference(paymentId))
      .execute();
    expect(postings).toHaveLength(1);
  });

  it('answers 402 for a declined card and leaves the balance as it was', async () => {
    const before = await balance();
    const declined = await topUp({ amount: '15.00', paymentMethodId: badCard }, 'top-up-declined');
    expect([declined.statusCode, declined.json().code]).toEqual([402, 'payment_declined']);
    expect(declined.json().detail).toContain('card_declined');
    expect(await balance()).toBe(before);
    const payments = (await f.as(f.a)('GET', '/v1/me/payments')).json().items;
    expect(payments.filter((payment: { status: string }) => payment.status === 'failed')).toMatchObject([
      { amount: '15.00', failureCode: 'card_declined', paymentMethodId: badCard },
    ]);
    const again = await topUp({ amount: '15.00', paymentMethodId: badCard }, 'top-up-declined');
    expect(again.statusCode).toBe(402);
    expect(await balance()).toBe(before);
  });

  it('waits, topping up nothing, while the card holder must authenticate', async () => {
    const before = await balance();
    const card = await f.as(f.a)('POST', `/v1/accounts/${prepaid}/payment-methods`, {
      token: 'tok_sandbox_authentication_required',
    });
    const waiting = await topUp({ amount: '9.00', paymentMethodId: card.json().id }, 'top-up-3ds');
    expect([waiting.statusCode, waiting.json().payment.status, waiting.json().transaction]).toEqual([
      202,
      'requires_action',
      null,
    ]);
    expect(await balance()).toBe(before);
  });

  it("refuses another customer's account (404), a postpaid account (422), and a role too low (403)", async () => {
    const before = await balance();
    const theirs = await topUp({ amount: '5.00', paymentMethodId: goodCard }, 'b-tries', f.as(f.b));
    expect([theirs.statusCode, theirs.json().code]).toEqual([404, 'not_found']);
    const postpaid = await f.as(f.a)('POST', `/v1/accounts/${f.a.accountId}/card-top-ups`, {
      amount: '5.00',
    });
    expect([postpaid.statusCode, postpaid.json().code]).toEqual([422, 'unprocessable']);
    const otherCard = await topUp({ amount: '5.00', paymentMethodId: f.a.customerId }, 'not-a-card');
    expect([otherCard.statusCode, otherCard.json().code]).toEqual([422, 'unprocessable']);
    const zero = await topUp({ amount: '0.00', paymentMethodId: goodCard }, 'zero');
    expect([zero.statusCode, zero.json().code]).toEqual([400, 'validation_failed']);
    const support = f.as(await f.staff('support'));
    expect((await topUp({ amount: '5.00' }, 'support', support)).statusCode).toBe(403);
    expect(await balance()).toBe(before);
    // Staff with the operator role top up as before.
    const operator = await f.call(
      'POST',
      `/v1/accounts/${prepaid}/card-top-ups`,
      { amount: '5.00', paymentMethodId: goodCard },
      { ...f.headers.operator, 'idempotency-key': 'operator' },
    );
    expect(operator.statusCode).toBe(201);
    expect(await balance()).toBe(before + 5n * EUR);
  });
});
