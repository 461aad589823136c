import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  type CustomerAccessFixture,
  openCustomerAccessFixture,
  type Party,
} from './customer-access-fixture.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Probe = readonly [Method, string, object?];

/**
 * The staff routes opened to customers for what is theirs: each with the ids of one party. The
 * payloads are valid, so a refusal can only come from the ownership gate.
 */
function routesOf(party: Party, methodId: string): Probe[] {
  const account = `/v1/accounts/${party.accountId}`;
  const line = `/v1/subscriptions/${party.subscriptionId}`;
  const customer = `/v1/customers/${party.customerId}`;
  return [
    ['GET', account],
    ['GET', `${account}/balance`],
    ['GET', `${account}/ledger`],
    ['GET', `${account}/payment-methods`],
    ['POST', `${account}/payment-methods`, { token: 'tok_sandbox_success' }],
    ['DELETE', `${account}/payment-methods/${methodId}`],
    ['PUT', `${account}/autopay`, { enabled: false }],
    ['POST', `${account}/payment-collections`, { invoiceId: party.invoiceId }],
    ['POST', `${account}/card-top-ups`, { amount: '5.00' }],
    ['GET', `${account}/account-statement?from=2026-03-01&to=2026-05-01`],
    ['GET', `${account}/notification-firings`],
    ['GET', `/v1/invoices/${party.invoiceId}`],
    ['GET', `/v1/invoices/${party.invoiceId}/pdf`],
    ['GET', `/v1/invoices/${party.invoiceId}/html`],
    ['GET', `/v1/invoices/${party.mayInvoiceId}/lines/${party.usagePosition}/usage`],
    ['GET', `/v1/rated-usage/${party.ratedUsageId}`],
    ['GET', `/v1/rated-usage?accountId=${party.accountId}`],
    ['GET', `/v1/rated-usage?subscriptionId=${party.subscriptionId}`],
    ['GET', line],
    ['GET', `${line}/changes`],
    ['POST', `${line}/changes`, { kind: 'paused' }],
    ['PUT', `${line}/spending-cap`, { limit: '10.00', period: 'month' }],
    ['GET', `${line}/spending-cap`],
    ['DELETE', `${line}/spending-cap`],
    ['GET', customer],
    ['GET', `${customer}/notification-preferences`],
    [
      'PUT',
      `${customer}/notification-preferences`,
      { preferences: [{ event: 'cycle_spend', channel: 'sms', enabled: true }] },
    ],
    ['PUT', `${customer}/quiet-hours`, { start: '22:00', end: '07:00' }],
    ['GET', `${customer}/quiet-hours`],
  ];
}

describe(`customers reach their own data through the staff routes (${DATABASE_LABEL})`, () => {
  let f: CustomerAccessFixture;
  beforeAll(async () => {
    f = await openCustomerAccessFixture();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('reads their own account, balance, invoices, usage and line, and the explanation of a charge', async () => {
    const call = f.as(f.a);
    const { a } = f;
    const account = await call('GET', `/v1/accounts/${a.accountId}`);
    expect([account.statusCode, account.json().id]).toEqual([200, a.accountId]);
    expect((await call('GET', `/v1/accounts/${a.accountId}/balance`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/accounts/${a.accountId}/ledger`)).statusCode).toBe(200);
    const invoice = await call('GET', `/v1/invoices/${a.invoiceId}`);
    expect([invoice.statusCode, invoice.json().total]).toEqual([200, '71.40']);
    const pdf = await call('GET', `/v1/invoices/${a.invoiceId}/pdf`);
    expect([pdf.statusCode, pdf.headers['content-type'], pdf.rawPayload.subarray(0, 5).toString()]).toEqual([
      200,
      'application/pdf',
      '%PDF-',
    ]);
    const html = await call('GET', `/v1/invoices/${a.invoiceId}/html`);
    expect([html.statusCode, html.body]).toEqual([200, expect.stringContaining('71,40')]);
    const usage = await call('GET', `/v1/invoices/${a.mayInvoiceId}/lines/${a.usagePosition}/usage`);
    expect([usage.statusCode, usage.json().items.map((i: { id: string }) => i.id)]).toEqual([
      200,
      [a.ratedUsageId],
    ]);
    const charge = await call('GET', `/v1/rated-usage/${a.ratedUsageId}`);
    expect(charge.statusCode).toBe(200);
    expect(charge.json()).toMatchObject({ usage: { id: a.ratedUsageId }, reproduced: true });
    expect(charge.json().explanation).toBeTruthy();
    for (const filter of [`accountId=${a.accountId}`, `subscriptionId=${a.subscriptionId}`]) {
      const list = await call('GET', `/v1/rated-usage?${filter}`);
      expect([filter, list.statusCode, list.json().items.map((i: { id: string }) => i.id)]).toEqual([
        filter,
        200,
        [a.ratedUsageId],
      ]);
    }
    const line = await call('GET', `/v1/subscriptions/${a.subscriptionId}`);
    expect([line.statusCode, line.json().id]).toEqual([200, a.subscriptionId]);
    expect((await call('GET', `/v1/subscriptions/${a.subscriptionId}/changes`)).statusCode).toBe(200);
    const statement = await call(
      'GET',
      `/v1/accounts/${a.accountId}/account-statement?from=2026-03-01&to=2026-05-02`,
    );
    expect(statement.statusCode).toBe(200);
    expect((await call('GET', `/v1/accounts/${a.accountId}/notification-firings`)).statusCode).toBe(200);
    const customer = await call('GET', `/v1/customers/${a.customerId}`);
    expect([customer.statusCode, customer.json().id]).toEqual([200, a.customerId]);
  });

  it('sets, reads and removes a spending cap on their line', async () => {
    const call = f.as(f.a);
    const url = `/v1/subscriptions/${f.a.subscriptionId}/spending-cap`;
    const set = await call('PUT', url, { limit: '25.00', period: 'month' });
    expect([set.statusCode, set.json().limit]).toEqual([200, '25.00']);
    expect((await call('GET', url)).json()).toMatchObject({ limit: '25.00', period: 'month' });
    expect((await call('DELETE', url)).statusCode).toBe(204);
    expect((await call('GET', url)).statusCode).toBe(404);
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'action'])
      .where('tenant_id', '=', f.tenantId)
      .where('object_id', '=', f.a.subscriptionId)
      .where('action', 'like', 'spending_cap.%')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(new Set(audit.map((entry) => entry.actor_type))).toEqual(new Set(['user']));
  });

  it('changes the plan, adds and removes an add-on, pauses and resumes; the operator’s changes are 403', async () => {
    const call = f.as(f.a);
    const url = `/v1/subscriptions/${f.a.subscriptionId}/changes`;
    const premium = await f.plan('premium', { name: 'Premium', recurringFee: '50.00' });
    const extra = await f.plan('extra-data', { name: 'Extra data', kind: 'addon', recurringFee: '5.00' });
    for (const [change, status] of [
      [{ kind: 'plan_changed', planId: premium }, 'active'],
      [{ kind: 'addon_added', addonPlanId: extra }, 'active'],
      [{ kind: 'addon_removed', addonPlanId: extra }, 'active'],
      [{ kind: 'paused' }, 'paused'],
      [{ kind: 'resumed' }, 'active'],
    ] as const) {
      f.clock.now = new Date(f.clock.now.getTime() + 60_000);
      const answer = await call('POST', url, change);
      expect([change.kind, answer.statusCode, answer.json().subscription?.status]).toEqual([
        change.kind,
        201,
        status,
      ]);
    }
    const line = (await call('GET', `/v1/subscriptions/${f.a.subscriptionId}`)).json();
    expect(line.planId).toBe(premium);
    for (const kind of ['suspended', 'restored', 'terminated']) {
      const refused = await call('POST', url, { kind });
      expect([kind, refused.statusCode, refused.json().code]).toEqual([kind, 403, 'forbidden']);
      expect(refused.json().detail).toContain(kind);
    }
    const dated = await call('POST', url, { kind: 'paused', effectiveAt: '2026-04-15T00:00:00Z' });
    expect([dated.statusCode, dated.json().code]).toEqual([403, 'forbidden']);
    // Nothing of the refused changes was applied.
    expect((await call('GET', `/v1/subscriptions/${f.a.subscriptionId}`)).json().status).toBe('active');
  });

  it('sets their notification preferences and quiet hours', async () => {
    const call = f.as(f.a);
    const customer = `/v1/customers/${f.a.customerId}`;
    const set = await call('PUT', `${customer}/notification-preferences`, {
      preferences: [{ event: 'cycle_spend', channel: 'sms', enabled: false }],
    });
    expect(set.statusCode).toBe(200);
    expect((await call('GET', `${customer}/notification-preferences`)).statusCode).toBe(200);
    const quiet = await call('PUT', `${customer}/quiet-hours`, { start: '22:00', end: '07:00' });
    expect([quiet.statusCode, quiet.json().quietHours]).toEqual([200, { start: '22:00', end: '07:00' }]);
    const read = await call('GET', `${customer}/quiet-hours`);
    expect([read.statusCode, read.json().quietHours]).toEqual([200, { start: '22:00', end: '07:00' }]);
  });

  it('pays an invoice of theirs with a card they saved, and manages their cards and autopay', async () => {
    const call = f.as(f.a);
    const account = `/v1/accounts/${f.a.accountId}`;
    const card = await call('POST', `${account}/payment-methods`, { token: 'tok_sandbox_success' });
    expect(card.statusCode).toBe(201);
    expect((await call('GET', `${account}/payment-methods`)).json().items).toHaveLength(1);
    expect((await call('PUT', `${account}/autopay`, { enabled: false })).json()).toEqual({
      accountId: f.a.accountId,
      autopay: false,
    });
    const paid = await call('POST', `${account}/payment-collections`, { invoiceId: f.a.invoiceId });
    expect([paid.statusCode, paid.json().status, paid.json().amount]).toEqual([201, 'succeeded', '71.40']);
    expect((await call('GET', `/v1/invoices/${f.a.invoiceId}`)).json().status).toBe('paid');
    // Another customer's invoice cannot be named through their own account.
    const theirs = await call('POST', `${account}/payment-collections`, { invoiceId: f.b.invoiceId });
    expect(theirs.statusCode).toBe(422);
    const spare = await call('POST', `${account}/payment-methods`, { token: 'tok_sandbox_decline' });
    const removed = await call('DELETE', `${account}/payment-methods/${spare.json().id}`);
    expect(removed.statusCode).toBe(200);
  });

  it("answers 404 for every one of those routes with another customer's ids, as for ids that do not exist", async () => {
    const call = f.as(f.a);
    const cardOf = async (party: Party) =>
      (
        await f.call('POST', `/v1/accounts/${party.accountId}/payment-methods`, {
          token: 'tok_sandbox_success',
        })
      ).json().id as string;
    const theirCard = await cardOf(f.b);
    for (const [method, url, payload] of routesOf(f.b, theirCard)) {
      const answer = await call(method, url, payload);
      expect([method, url, answer.statusCode, answer.json().code]).toEqual([method, url, 404, 'not_found']);
    }
    // Worded alike: a customer cannot tell another's id from one that does not exist.
    const missing = randomUUID();
    for (const [theirs, template] of [
      [f.b.accountId, (id: string) => `/v1/accounts/${id}`],
      [f.b.invoiceId, (id: string) => `/v1/invoices/${id}/pdf`],
      [f.b.subscriptionId, (id: string) => `/v1/subscriptions/${id}/spending-cap`],
      [f.b.customerId, (id: string) => `/v1/customers/${id}`],
    ] as const) {
      const forTheirs = (await call('GET', template(theirs))).json();
      const forMissing = (await call('GET', template(missing))).json();
      expect({ ...forTheirs, detail: forTheirs.detail.replace(theirs, 'ID') }).toEqual({
        ...forMissing,
        detail: forMissing.detail.replace(missing, 'ID'),
      });
    }
    // Nothing of B's was changed by the attempts.
    const staff = f.call;
    const cards = (await staff('GET', `/v1/accounts/${f.b.accountId}/payment-methods`)).json().items;
    expect(cards.map((card: { id: string }) => card.id)).toEqual([theirCard]);
    expect((await staff('GET', `/v1/subscriptions/${f.b.subscriptionId}`)).json().status).toBe('active');
    expect((await staff('GET', `/v1/invoices/${f.b.invoiceId}`)).json().status).toBe('finalized');
    expect((await staff('GET', `/v1/subscriptions/${f.b.subscriptionId}/spending-cap`)).statusCode).toBe(404);
    // The same requests with their own ids pass the gate: the 404s above were the gate's.
    for (const [method, url, payload] of routesOf(f.a, await cardOf(f.a))) {
      const answer = await call(method, url, payload);
      expect([method, url, answer.statusCode < 400 || [409, 422].includes(answer.statusCode)]).toEqual([
        method,
        url,
        true,
      ]);
    }
  });

  it('answers 404 to a customer for malformed, missing or mixed ids, and keeps the list of rated usage to their own', async () => {
    const call = f.as(f.a);
    for (const url of [
      '/v1/accounts/not-an-id',
      '/v1/rated-usage/abc',
      '/v1/rated-usage/99999999999',
      '/v1/rated-usage',
      `/v1/rated-usage?source=switch`,
      `/v1/rated-usage?accountId=${f.a.accountId}&subscriptionId=${f.b.subscriptionId}`,
      `/v1/rated-usage?accountId=${f.a.accountId}&accountId=${f.b.accountId}`,
    ]) {
      const answer = await call('GET', url);
      expect([url, answer.statusCode, answer.json().code]).toEqual([url, 404, 'not_found']);
    }
  });

  it('leaves staff routes without customer access closed to customers (403), as before', async () => {
    const call = f.as(f.a);
    for (const [method, url] of [
      ['GET', '/v1/accounts'],
      ['GET', '/v1/invoices'],
      ['GET', `/v1/payments`],
      ['POST', `/v1/accounts/${f.a.accountId}/topups`],
      ['POST', `/v1/invoices/${f.a.invoiceId}/void`],
      ['GET', `/v1/accounts/${f.a.accountId}/receivable`],
    ] as const) {
      const answer = await call(method, url, method === 'GET' ? undefined : {});
      expect([method, url, answer.statusCode]).toEqual([method, url, 403]);
    }
  });

  it('leaves API keys and staff users as they were', async () => {
    // Staff read any customer's data; a role below the route's is still 403, never a 404.
    expect((await f.call('GET', `/v1/accounts/${f.b.accountId}`)).statusCode).toBe(200);
    const { key: readOnly } = await issueApiKey(f.database.db, f.tenantId, 'reader', 'read-only');
    const reader = { authorization: `Bearer ${readOnly}` };
    expect((await f.call('GET', `/v1/invoices/${f.b.invoiceId}`, undefined, reader)).statusCode).toBe(200);
    const low = await f.call('PUT', `/v1/accounts/${f.b.accountId}/autopay`, { enabled: true }, reader);
    expect([low.statusCode, low.json().code]).toEqual([403, 'forbidden']);
    const support = f.as(await f.staff('support'));
    expect((await support('GET', `/v1/subscriptions/${f.b.subscriptionId}/spending-cap`)).statusCode).toBe(
      404,
    );
    expect((await support('GET', `/v1/accounts/${f.b.accountId}`)).statusCode).toBe(200);
    const refused = await support('PUT', `/v1/subscriptions/${f.b.subscriptionId}/spending-cap`, {
      limit: '10.00',
      period: 'day',
    });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'forbidden']);
    // The operator may still suspend a line, which a customer may not.
    const operator = f.as(await f.staff('operator'));
    const suspended = await operator('POST', `/v1/subscriptions/${f.b.subscriptionId}/changes`, {
      kind: 'suspended',
    });
    expect([suspended.statusCode, suspended.json().subscription.status]).toEqual([201, 'suspended']);
    const restored = await operator('POST', `/v1/subscriptions/${f.b.subscriptionId}/changes`, {
      kind: 'restored',
    });
    expect(restored.statusCode).toBe(201);
    // An API key never acts for a customer.
    expect((await f.call('GET', `/v1/me/invoices`, undefined, f.headers.admin)).statusCode).toBe(403);
  });
});
