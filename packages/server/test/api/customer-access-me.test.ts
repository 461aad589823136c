import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type CustomerAccessFixture, openCustomerAccessFixture } from './customer-access-fixture.js';

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

describe(`a signed-in customer's own invoices, payments, plans and language (${DATABASE_LABEL})`, () => {
  let f: CustomerAccessFixture;
  beforeAll(async () => {
    f = await openCustomerAccessFixture();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('lists only their own invoices, newest first, a page at a time, and never a draft', async () => {
    const call = f.as(f.a);
    const all = (await call('GET', '/v1/me/invoices')).json();
    expect(ids(all)).toEqual([f.a.mayInvoiceId, f.a.invoiceId]);
    expect(all.nextCursor).toBeNull();
    const first = (await call('GET', '/v1/me/invoices?limit=1')).json();
    expect(ids(first)).toEqual([f.a.mayInvoiceId]);
    const second = (await call('GET', `/v1/me/invoices?limit=1&cursor=${first.nextCursor}`)).json();
    expect([ids(second), second.nextCursor]).toEqual([[f.a.invoiceId], null]);
    expect(ids((await f.as(f.b)('GET', '/v1/me/invoices')).json())).toEqual([
      f.b.mayInvoiceId,
      f.b.invoiceId,
    ]);

    // June's bill run left as drafts: nothing shows until the invoices are finalised.
    await f.billRun('2026-06-01T00:00:00+02:00', { finalize: false });
    const draft = (await f.invoices(f.a.accountId)).find((invoice) => invoice.status === 'draft');
    expect(draft).toBeDefined();
    expect(ids((await call('GET', '/v1/me/invoices')).json())).toEqual([f.a.mayInvoiceId, f.a.invoiceId]);
    expect((await call('GET', `/v1/invoices/${draft?.id}`)).statusCode).toBe(404);
    expect((await f.call('GET', `/v1/invoices/${draft?.id}`)).statusCode).toBe(200);
  });

  it('lists only their own payments, newest first', async () => {
    const call = f.as(f.a);
    const account = `/v1/accounts/${f.a.accountId}`;
    await call('POST', `${account}/payment-methods`, { token: 'tok_sandbox_success' });
    const paid = await call('POST', `${account}/payment-collections`, { invoiceId: f.a.invoiceId });
    expect(paid.statusCode).toBe(201);
    f.clock.now = new Date(f.clock.now.getTime() + 60_000);
    const cash = await f.call('POST', `${account}/payments`, {
      source: 'cash',
      amount: '5.00',
      currency: 'EUR',
    });
    const theirs = await f.call('POST', `/v1/accounts/${f.b.accountId}/payments`, {
      source: 'cash',
      amount: '7.00',
      currency: 'EUR',
    });
    expect([cash.statusCode, theirs.statusCode]).toEqual([201, 201]);
    const mine = (await call('GET', '/v1/me/payments')).json();
    expect(ids(mine)).toEqual([cash.json().id, paid.json().id]);
    expect(mine.items[1]).toMatchObject({ status: 'succeeded', amount: '71.40', allocated: '71.40' });
    expect(ids((await f.as(f.b)('GET', '/v1/me/payments')).json())).toEqual([theirs.json().id]);
  });

  it('lists the plans in effect to choose from, base plans first', async () => {
    await f.plan('premium', {
      name: 'Premium',
      recurringFee: '50.00',
      allowances: [{ service: 'data', amount: '5GB' }],
    });
    await f.plan('roaming-pack', { name: 'Roaming pack', kind: 'addon', recurringFee: '4.99' });
    await f.plan('next-year', {
      name: 'Next year',
      recurringFee: '1.00',
      effectiveFrom: '2027-01-01T00:00:00+01:00',
    });
    const plans = (await f.as(f.a)('GET', '/v1/me/plans')).json().items;
    const codes = plans.map((plan: { code: string }) => plan.code);
    // The demo's plans, the fixture's and these: base plans by name, then add-ons; none not yet in effect.
    expect(codes.at(-1)).toBe('roaming-pack');
    expect(codes).toContain('basic');
    expect(codes).not.toContain('next-year');
    const names = plans.slice(0, -1).map((plan: { name: string }) => plan.name);
    expect(names).toEqual([...names].sort());
    const premium = plans.find((plan: { code: string }) => plan.code === 'premium');
    expect(premium).toMatchObject({
      name: 'Premium',
      kind: 'base',
      currency: 'EUR',
      feePeriod: 'month',
      allowances: [{ service: 'data', amount: '5GB' }],
    });
    expect(Number(premium.recurringFee)).toBe(50);
    expect(plans.at(-1)).toMatchObject({ kind: 'addon', name: 'Roaming pack' });
    expect(premium).not.toHaveProperty('tariffId');
  });

  it('shows their name and language, and sets the language and locale', async () => {
    const call = f.as(f.a);
    const me = (await call('GET', '/v1/me')).json();
    const name = (await f.call('GET', `/v1/customers/${f.a.customerId}`)).json().displayName;
    expect(me.customer).toEqual({ id: f.a.customerId, name, language: 'de', locale: 'de' });
    expect(me.user).toMatchObject({ kind: 'customer', customerId: f.a.customerId });

    const spanish = await call('PATCH', '/v1/me', { language: 'es' });
    expect([spanish.statusCode, spanish.json().customer]).toMatchObject([
      200,
      { language: 'es', locale: 'es' },
    ]);
    expect((await f.call('GET', `/v1/customers/${f.a.customerId}`)).json().language).toBe('es');

    const austrian = await call('PATCH', '/v1/me', { locale: 'de-at' });
    expect(austrian.json().customer).toMatchObject({ language: 'de', locale: 'de-AT' });
    // The same language again keeps the region; both at once must agree.
    expect((await call('PATCH', '/v1/me', { language: 'de' })).json().customer.locale).toBe('de-AT');
    expect(
      (await call('PATCH', '/v1/me', { language: 'fr', locale: 'fr-CA' })).json().customer,
    ).toMatchObject({
      language: 'fr',
      locale: 'fr-CA',
    });
    for (const [body, status, code] of [
      [{ language: 'es', locale: 'de-AT' }, 422, 'unprocessable'],
      [{ locale: 'it-IT' }, 422, 'unprocessable'],
      [{ locale: 'zh-Hant-TW' }, 422, 'unprocessable'],
      [{ locale: 'not a tag' }, 400, 'validation_failed'],
      [{ language: 'it' }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
      [{ language: 'de', theme: 'dark' }, 400, 'validation_failed'],
    ] as const) {
      const answer = await call('PATCH', '/v1/me', body);
      expect([body, answer.statusCode, answer.json().code]).toEqual([body, status, code]);
    }
    expect((await call('GET', '/v1/me')).json().customer.locale).toBe('fr-CA');
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'action'])
      .where('object_id', '=', f.a.customerId)
      .where('action', '=', 'customer.updated')
      .execute();
    expect(audit.map((entry) => entry.actor_type)).toEqual(['user', 'user', 'user']);
  });

  it('keeps staff and API keys out of the customer routes', async () => {
    const staff = f.as(await f.staff('admin'));
    const me = (await staff('GET', '/v1/me')).json();
    expect(me.customer).toBeNull();
    expect((await staff('PATCH', '/v1/me', { language: 'en' })).statusCode).toBe(404);
    expect((await staff('GET', '/v1/me/invoices')).statusCode).toBe(404);
    for (const url of ['/v1/me/invoices', '/v1/me/payments', '/v1/me/plans']) {
      const answer = await f.call('GET', url, undefined, f.headers.admin);
      expect([url, answer.statusCode]).toEqual([url, 403]);
    }
    const byKey = await f.app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: f.headers.admin,
      payload: { language: 'en' },
    });
    expect(byKey.statusCode).toBe(403);
  });
});
