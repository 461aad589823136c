import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { findFxRate } from '../../src/billing/reference/fx-rate-store.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A 1×1 PNG, and the first bytes of a JFIF file: enough for the signature checks. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const JPEG_BASE64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).toString(
  'base64',
);

describe(`billing reference data (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await openApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const send = (method: Method, url: string, payload?: unknown, key = h.tenant.keys.operator) =>
    h.app.inject({
      method,
      url,
      headers: bearer(key),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const reader = () => h.tenant.keys['read-only'];
  const fields = (response: LightMyRequestResponse): string[] =>
    (response.json().errors ?? []).map((error: { field: string }) => error.field);

  async function createAccount(fields: Record<string, unknown> = {}): Promise<string> {
    const customer = await send('POST', '/v1/customers', { kind: 'person', givenName: 'Grace' });
    const account = await send('POST', '/v1/accounts', {
      kind: 'postpaid',
      customerId: customer.json().id,
      ...fields,
    });
    expect(account.statusCode).toBe(201);
    return account.json().id;
  }

  async function createSubscription(accountId: string): Promise<string> {
    const response = await send('POST', `/v1/accounts/${accountId}/subscriptions`, {
      identifiers: [{ kind: 'username', value: `line-${randomUUID()}` }],
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }

  describe('billing profile', () => {
    it('shows the defaults until it is set, then what was set', async () => {
      const defaults = await send('GET', '/v1/billing-profile', undefined, reader());
      expect(defaults.statusCode).toBe(200);
      expect(defaults.json()).toMatchObject({
        legalName: null,
        address: [],
        logo: null,
        notes: [],
        pricesIncludeTax: false,
        taxRounding: 'line',
        invoiceSeries: 'INV',
        creditNoteSeries: 'CN',
        updatedAt: null,
      });
      expect(defaults.json().template.accentColor).toMatch(/^#[0-9a-f]{6}$/i);

      const profile = {
        legalName: 'Acme Telecom GmbH',
        address: ['Hauptstraße 1', '10115 Berlin', 'Germany'],
        taxId: 'DE123456789',
        registration: 'Amtsgericht Berlin HRB 12345',
        email: 'billing@acme.example',
        website: 'https://acme.example',
        bankDetails: 'IBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX',
        logo: { mediaType: 'image/png', base64: PNG_BASE64 },
        template: { accentColor: '#aa3300', footerText: 'Thank you', showItemised: false },
        notes: ['Payable within 14 days.', 'Reverse charge where applicable.'],
        pricesIncludeTax: true,
        taxRounding: 'invoice',
        invoiceSeries: 'ACME-INV',
        creditNoteSeries: 'ACME-CN',
      };
      const set = await send('PUT', '/v1/billing-profile', profile);
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject(profile);
      const read = await send('GET', '/v1/billing-profile', undefined, reader());
      expect(read.json()).toEqual(set.json());
      expect(read.json().updatedAt).not.toBeNull();

      // A PUT replaces the whole profile: what it leaves out returns to its default.
      const replaced = await send('PUT', '/v1/billing-profile', { legalName: 'Acme Telecom AG' });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json()).toMatchObject({
        legalName: 'Acme Telecom AG',
        logo: null,
        notes: [],
        invoiceSeries: 'INV',
        template: defaults.json().template,
      });

      const other = await send('GET', '/v1/billing-profile', undefined, h.otherTenant.keys['read-only']);
      expect(other.json().legalName).toBeNull();

      const audit = await h.database.db
        .selectFrom('audit_log')
        .select(['before', 'after'])
        .where('tenant_id', '=', h.tenant.id)
        .where('action', '=', 'billing_profile.set')
        .orderBy('sequence')
        .execute();
      expect(audit).toHaveLength(2);
      expect(audit[0]?.before).toBeNull();
      // The log holds the logo's digest, not its bytes.
      expect(audit[0]?.after).toMatchObject({ logo: { mediaType: 'image/png', bytes: 70 } });
      expect(JSON.stringify(audit[0]?.after)).not.toContain(PNG_BASE64);
    });

    it.each([
      ['text that is not base64', { mediaType: 'image/png', base64: 'not base64!' }],
      ['a JPEG sent as a PNG', { mediaType: 'image/png', base64: JPEG_BASE64 }],
      [
        'bytes of no image',
        { mediaType: 'image/jpeg', base64: Buffer.from('hello world').toString('base64') },
      ],
      [
        'more than 512 KiB',
        {
          mediaType: 'image/png',
          base64: Buffer.concat([Buffer.from(PNG_BASE64, 'base64'), Buffer.alloc(520 * 1024)]).toString(
            'base64',
          ),
        },
      ],
    ])('refuses a logo of %s, naming /logo/base64', async (_, logo) => {
      const response = await send('PUT', '/v1/billing-profile', { legalName: 'X', logo });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(fields(response)).toContain('/logo/base64');
    });

    it('refuses a bad series, colour or role', async () => {
      const series = await send('PUT', '/v1/billing-profile', { invoiceSeries: 'inv 2026' });
      expect(fields(series)).toEqual(['/invoiceSeries']);
      const colour = await send('PUT', '/v1/billing-profile', { template: { accentColor: 'red' } });
      expect(fields(colour)).toEqual(['/template/accentColor']);
      const forbidden = await send('PUT', '/v1/billing-profile', {}, h.tenant.keys.support);
      expect(forbidden.statusCode).toBe(403);
    });
  });

  describe('tax rules', () => {
    const rule = (overrides: object = {}) => ({
      jurisdiction: 'DE',
      category: 'voice',
      effectiveFrom: '2026-01-01T00:00:00Z',
      components: [{ code: 'DE-VAT', name: 'USt.', ratePercent: '19.00' }],
      ...overrides,
    });

    it('numbers versions per jurisdiction and category, and reads them back', async () => {
      const first = await send('POST', '/v1/tax-rules', rule());
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        jurisdiction: 'DE',
        category: 'voice',
        version: 1,
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        effectiveTo: null,
        components: [{ code: 'DE-VAT', name: 'USt.', ratePercent: '19', compound: false }],
      });
      const second = await send(
        'POST',
        '/v1/tax-rules',
        rule({
          effectiveFrom: '2026-07-01T00:00:00Z',
          effectiveTo: '2027-01-01T00:00:00Z',
          components: [
            { code: 'DE-VAT', name: 'USt.', ratePercent: '16' },
            { code: 'DE-LEVY', name: 'Abgabe', ratePercent: '0.125', compound: true },
          ],
        }),
      );
      expect(second.json()).toMatchObject({ version: 2, effectiveTo: '2027-01-01T00:00:00.000Z' });
      const otherCategory = await send('POST', '/v1/tax-rules', rule({ category: '*' }));
      expect(otherCategory.json().version).toBe(1);
      const city = await send('POST', '/v1/tax-rules', rule({ jurisdiction: 'US-CA-LOSANGELES' }));
      expect(city.json().version).toBe(1);

      const read = await send('GET', `/v1/tax-rules/${second.json().id}`, undefined, reader());
      expect(read.json()).toEqual(second.json());
      const listed = await send('GET', '/v1/tax-rules?jurisdiction=DE&category=voice', undefined, reader());
      expect(
        listed
          .json()
          .items.map((item: { version: number }) => item.version)
          .sort(),
      ).toEqual([1, 2]);
      const page = await send('GET', '/v1/tax-rules?jurisdiction=DE&limit=1', undefined, reader());
      expect(page.json().items).toHaveLength(1);
      const next = await send(
        'GET',
        `/v1/tax-rules?jurisdiction=DE&limit=5&cursor=${page.json().nextCursor}`,
        undefined,
        reader(),
      );
      expect(next.json().items).toHaveLength(2);
      const otherTenant = await send(
        'GET',
        `/v1/tax-rules/${first.json().id}`,
        undefined,
        h.otherTenant.keys.admin,
      );
      expect(otherTenant.statusCode).toBe(404);
    });

    it('gives versions added at once distinct numbers', async () => {
      const added = await Promise.all(
        Array.from({ length: 6 }, () => send('POST', '/v1/tax-rules', rule({ category: 'sms' }))),
      );
      expect(added.map((response) => response.statusCode)).toEqual(Array(6).fill(201));
      const versions = added.map((response) => response.json().version as number).sort((a, b) => a - b);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('never changes a stored version: the database refuses an update', async () => {
      const created = await send('POST', '/v1/tax-rules', rule({ category: 'data' }));
      await expect(
        sql`update tax_rules set components = '[]'::jsonb where id = ${created.json().id}`.execute(
          h.database.db,
        ),
      ).rejects.toThrow(/immutable/);
      await expect(
        sql`delete from tax_rules where id = ${created.json().id}`.execute(h.database.db),
      ).rejects.toThrow(/immutable/);
    });

    it.each([
      [
        'a rate above 100',
        rule({ components: [{ code: 'X', name: 'X', ratePercent: '100.5' }] }),
        '/components/0/ratePercent',
      ],
      [
        'a rate with 7 decimals',
        rule({ components: [{ code: 'X', name: 'X', ratePercent: '1.1234567' }] }),
        '/components/0/ratePercent',
      ],
      [
        'a code used twice',
        rule({
          components: [
            { code: 'X', name: 'X', ratePercent: '1' },
            { code: 'X', name: 'Y', ratePercent: '2' },
          ],
        }),
        '/components/1/code',
      ],
      ['a lowercase jurisdiction', rule({ jurisdiction: 'de' }), '/jurisdiction'],
      ['a category with capitals', rule({ category: 'Voice' }), '/category'],
      ['an empty period', rule({ effectiveTo: '2025-12-31T00:00:00Z' }), '/effectiveTo'],
    ])('refuses %s, naming the field', async (_, body, field) => {
      const response = await send('POST', '/v1/tax-rules', body);
      expect(response.statusCode).toBe(400);
      expect(fields(response)).toContain(field);
    });
  });

  describe('exchange rates', () => {
    const rate = (overrides: object = {}) => ({
      from: 'EUR',
      to: 'USD',
      date: '2026-01-02',
      rate: '1.0850',
      source: 'ECB reference rate',
      ...overrides,
    });

    it('records a day once: the same again is 200, another rate is 409', async () => {
      const created = await send('POST', '/v1/fx-rates', rate());
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ from: 'EUR', to: 'USD', date: '2026-01-02', rate: '1.085' });
      const same = await send('POST', '/v1/fx-rates', rate({ rate: '1.085000' }));
      expect(same.statusCode).toBe(200);
      expect(same.json()).toEqual(created.json());
      const other = await send('POST', '/v1/fx-rates', rate({ rate: '1.09' }));
      expect(other.statusCode).toBe(409);
      expect(fields(other)).toEqual(['/rate']);
      const otherSource = await send('POST', '/v1/fx-rates', rate({ source: 'Bloomberg' }));
      expect(otherSource.statusCode).toBe(409);
      expect(fields(otherSource)).toEqual(['/source']);
    });

    it('finds the latest rate on or before a day', async () => {
      await send('POST', '/v1/fx-rates', rate({ from: 'GBP', date: '2026-03-02', rate: '1.27' }));
      await send('POST', '/v1/fx-rates', rate({ from: 'GBP', date: '2026-03-06', rate: '1.271234567891' }));
      const db = h.database.db;
      expect(await findFxRate(db, h.tenant.id, 'GBP', 'USD', '2026-03-01')).toBeUndefined();
      expect(await findFxRate(db, h.tenant.id, 'GBP', 'USD', '2026-03-02')).toEqual({
        rate: '1.27',
        date: '2026-03-02',
        source: 'ECB reference rate',
      });
      expect((await findFxRate(db, h.tenant.id, 'GBP', 'USD', '2026-03-05'))?.date).toBe('2026-03-02');
      expect(await findFxRate(db, h.tenant.id, 'GBP', 'USD', '2026-12-31')).toMatchObject({
        rate: '1.271234567891',
        date: '2026-03-06',
      });
      expect(await findFxRate(db, h.tenant.id, 'USD', 'GBP', '2026-12-31')).toBeUndefined();
      expect(await findFxRate(db, h.otherTenant.id, 'GBP', 'USD', '2026-12-31')).toBeUndefined();

      const listed = await send(
        'GET',
        '/v1/fx-rates?from=GBP&to=USD&dateFrom=2026-03-03&dateTo=2026-03-31',
        undefined,
        reader(),
      );
      expect(listed.json().items.map((item: { date: string }) => item.date)).toEqual(['2026-03-06']);
    });

    it.each([
      ['one currency twice', rate({ to: 'EUR' }), '/to'],
      ['an unknown currency', rate({ from: 'XYZ' }), '/from'],
      ['a day that does not exist', rate({ date: '2026-02-30' }), '/date'],
      ['a rate of zero', rate({ rate: '0.000' }), '/rate'],
      ['a negative rate', rate({ rate: '-1' }), '/rate'],
      ['13 decimals', rate({ rate: '1.0000000000001' }), '/rate'],
    ])('refuses %s, naming the field', async (_, body, field) => {
      const response = await send('POST', '/v1/fx-rates', body);
      expect(response.statusCode).toBe(400);
      expect(fields(response)).toContain(field);
    });
  });

  describe('discounts', () => {
    let accountId: string;
    let planId: string;
    beforeAll(async () => {
      accountId = await createAccount();
      const plan = await send('POST', '/v1/plans', {
        code: 'discounted-addon',
        name: 'Add-on',
        kind: 'addon',
        recurringFee: '5',
        feePeriod: 'month',
      });
      expect(plan.statusCode).toBe(201);
      planId = plan.json().id;
    });
    const discounts = () => `/v1/accounts/${accountId}/discounts`;

    it('gives percent and fixed discounts on each kind of target, and lists them', async () => {
      const line = await createSubscription(accountId);
      const percent = await send('POST', discounts(), {
        name: 'Loyalty',
        kind: 'percent',
        percent: '12.50',
        target: 'invoice',
        cycles: 12,
      });
      expect(percent.statusCode).toBe(201);
      expect(percent.json()).toMatchObject({
        accountId,
        kind: 'percent',
        percent: '12.5',
        amount: null,
        currency: null,
        target: 'invoice',
        targetId: null,
        cycles: 12,
        endsAt: null,
      });
      const fixed = await send('POST', discounts(), {
        name: 'Welcome',
        kind: 'fixed',
        amount: '5',
        target: 'plan',
        targetId: planId,
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '2026-07-01T00:00:00Z',
      });
      expect(fixed.statusCode).toBe(201);
      expect(fixed.json()).toMatchObject({
        amount: '5.00',
        currency: 'EUR',
        percent: null,
        targetId: planId,
        cycles: null,
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-07-01T00:00:00.000Z',
      });
      const service = await send('POST', discounts(), {
        name: 'Data',
        kind: 'percent',
        percent: '100',
        target: 'service',
        targetId: 'data',
      });
      expect(service.statusCode).toBe(201);
      const onLine = await send('POST', discounts(), {
        name: 'Line',
        kind: 'percent',
        percent: '0.000001',
        target: 'subscription',
        targetId: line,
      });
      expect(onLine.statusCode).toBe(201);

      const listed = await send('GET', discounts(), undefined, reader());
      expect(listed.statusCode).toBe(200);
      expect(
        listed
          .json()
          .items.map((item: { name: string }) => item.name)
          .sort(),
      ).toEqual(['Data', 'Line', 'Loyalty', 'Welcome']);
      const unknown = await send('GET', `/v1/accounts/${randomUUID()}/discounts`, undefined, reader());
      expect(unknown.statusCode).toBe(404);
    });

    it.each([
      ['a percent with an amount', { kind: 'percent', percent: '10', amount: '1' }, '/amount', 400],
      ['a percent without its percent', { kind: 'percent' }, '/percent', 400],
      ['a fixed discount with a percent', { kind: 'fixed', amount: '1', percent: '10' }, '/percent', 400],
      ['a fixed discount without its amount', { kind: 'fixed' }, '/amount', 400],
      ['a percent of zero', { kind: 'percent', percent: '0' }, '/percent', 400],
      ['a percent above 100', { kind: 'percent', percent: '100.01' }, '/percent', 400],
      ['an amount of zero', { kind: 'fixed', amount: '0.00' }, '/amount', 400],
      ['an amount finer than a micro-unit', { kind: 'fixed', amount: '0.0000001' }, '/amount', 400],
      ['a targetId on the invoice', { kind: 'percent', percent: '5', targetId: 'x' }, '/targetId', 400],
      ['a plan without its id', { kind: 'percent', percent: '5', target: 'plan' }, '/targetId', 400],
      [
        'a plan id that is no UUID',
        { kind: 'percent', percent: '5', target: 'plan', targetId: 'gold' },
        '/targetId',
        400,
      ],
      [
        'a plan that does not exist',
        { kind: 'percent', percent: '5', target: 'plan', targetId: randomUUID() },
        '/targetId',
        422,
      ],
      [
        'a service that is no name',
        { kind: 'percent', percent: '5', target: 'service', targetId: 'Voice!' },
        '/targetId',
        400,
      ],
      [
        'another account line',
        { kind: 'percent', percent: '5', target: 'subscription', targetId: randomUUID() },
        '/targetId',
        422,
      ],
      ['121 cycles', { kind: 'percent', percent: '5', cycles: 121 }, '/cycles', 400],
      [
        'an end before the start',
        { kind: 'percent', percent: '5', startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
        '/endsAt',
        400,
      ],
    ])('refuses %s, naming the field', async (_, body, field, status) => {
      const response = await send('POST', discounts(), { name: 'Bad', target: 'invoice', ...body });
      expect([response.statusCode, fields(response)]).toEqual([status, [field]]);
    });

    it("refuses a plan of another tenant, and another account's line", async () => {
      const otherPlan = await h.app.inject({
        method: 'POST',
        url: '/v1/plans',
        headers: bearer(h.otherTenant.keys.operator),
        payload: { code: 'theirs', name: 'Theirs', kind: 'addon', recurringFee: '1', feePeriod: 'month' },
      });
      const theirs = await send('POST', discounts(), {
        name: 'X',
        kind: 'percent',
        percent: '5',
        target: 'plan',
        targetId: otherPlan.json().id,
      });
      expect(theirs.statusCode).toBe(422);
      const otherLine = await createSubscription(await createAccount());
      const line = await send('POST', discounts(), {
        name: 'X',
        kind: 'percent',
        percent: '5',
        target: 'subscription',
        targetId: otherLine,
      });
      expect([line.statusCode, fields(line)]).toEqual([422, ['/targetId']]);
    });

    it('ends a discount now and keeps it; a future one ends at its start', async () => {
      const created = await send('POST', discounts(), {
        name: 'Ending',
        kind: 'percent',
        percent: '10',
        target: 'invoice',
        startsAt: '2026-01-01T00:00:00Z',
      });
      const before = Date.now();
      const ended = await send('DELETE', `${discounts()}/${created.json().id}`);
      expect(ended.statusCode).toBe(200);
      const endsAt = Date.parse(ended.json().endsAt);
      expect(endsAt).toBeGreaterThanOrEqual(before - 1000);
      expect(endsAt).toBeLessThanOrEqual(Date.now() + 1000);
      const again = await send('DELETE', `${discounts()}/${created.json().id}`);
      expect(again.json().endsAt).toBe(ended.json().endsAt);

      const future = await send('POST', discounts(), {
        name: 'Future',
        kind: 'percent',
        percent: '10',
        target: 'invoice',
        startsAt: '2099-01-01T00:00:00Z',
      });
      const cancelled = await send('DELETE', `${discounts()}/${future.json().id}`);
      expect(cancelled.json().endsAt).toBe('2099-01-01T00:00:00.000Z');

      const listed = await send('GET', discounts(), undefined, reader());
      expect(listed.json().items.map((item: { name: string }) => item.name)).toContain('Ending');
      const missing = await send('DELETE', `${discounts()}/${randomUUID()}`);
      expect(missing.statusCode).toBe(404);
      const ofOtherAccount = await send(
        'DELETE',
        `/v1/accounts/${await createAccount()}/discounts/${created.json().id}`,
      );
      expect(ofOtherAccount.statusCode).toBe(404);
    });

    it('takes no discount for a closed account', async () => {
      const closed = await createAccount();
      expect((await send('PATCH', `/v1/accounts/${closed}`, { status: 'closed' })).statusCode).toBe(200);
      const response = await send('POST', `/v1/accounts/${closed}/discounts`, {
        name: 'X',
        kind: 'percent',
        percent: '5',
        target: 'invoice',
      });
      expect(response.statusCode).toBe(409);
    });
  });

  describe('one-time charges', () => {
    let accountId: string;
    beforeAll(async () => {
      accountId = await createAccount();
    });
    const charges = () => `/v1/accounts/${accountId}/charges`;

    it('adds charges and credits, lists the open ones, removes only what no invoice took', async () => {
      const line = await createSubscription(accountId);
      const router = await send('POST', charges(), {
        code: 'router',
        description: 'Router FRITZ!Box 7590',
        amount: '149',
        subscriptionId: line,
        taxCategory: 'equipment',
        chargedAt: '2026-01-15T10:00:00Z',
      });
      expect(router.statusCode).toBe(201);
      expect(router.json()).toMatchObject({
        accountId,
        subscriptionId: line,
        code: 'router',
        amount: '149.00',
        currency: 'EUR',
        taxCategory: 'equipment',
        chargedAt: '2026-01-15T10:00:00.000Z',
        invoiceId: null,
      });
      const goodwill = await send('POST', charges(), {
        code: 'goodwill',
        description: 'Outage credit',
        amount: '-10.5',
      });
      expect(goodwill.statusCode).toBe(201);
      expect(goodwill.json()).toMatchObject({
        amount: '-10.50',
        taxCategory: 'one_time',
        subscriptionId: null,
      });
      const install = await send('POST', charges(), {
        code: 'install',
        description: 'Installation',
        amount: '60',
      });

      const invoiceId = randomUUID();
      await h.database.db
        .updateTable('account_charges')
        .set({ invoice_id: invoiceId })
        .where('id', '=', router.json().id)
        .execute();
      const codes = async (query: string) =>
        (await send('GET', `${charges()}${query}`, undefined, reader()))
          .json()
          .items.map((item: { code: string }) => item.code)
          .sort();
      expect(await codes('')).toEqual(['goodwill', 'install', 'router']);
      expect(await codes('?open=true')).toEqual(['goodwill', 'install']);
      expect(await codes('?open=false')).toEqual(['router']);

      const invoiced = await send('DELETE', `${charges()}/${router.json().id}`);
      expect(invoiced.statusCode).toBe(409);
      const removed = await send('DELETE', `${charges()}/${install.json().id}`);
      expect(removed.statusCode).toBe(204);
      expect(await codes('')).toEqual(['goodwill', 'router']);
      const again = await send('DELETE', `${charges()}/${install.json().id}`);
      expect(again.statusCode).toBe(404);
      const unknownAccount = await send('GET', `/v1/accounts/${randomUUID()}/charges`, undefined, reader());
      expect(unknownAccount.statusCode).toBe(404);

      const audit = await h.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('tenant_id', '=', h.tenant.id)
        .where('object_id', '=', install.json().id)
        .orderBy('sequence')
        .execute();
      expect(audit.map((entry) => entry.action)).toEqual(['account_charge.added', 'account_charge.removed']);
    });

    it.each([
      ['an amount of zero', { amount: '-0.00' }, '/amount', 400],
      ['an amount finer than a micro-unit', { amount: '1.0000001' }, '/amount', 400],
      ['a bad tax category', { taxCategory: 'One Time' }, '/taxCategory', 400],
      ['a line of another account', { subscriptionId: randomUUID() }, '/subscriptionId', 422],
    ])('refuses %s, naming the field', async (_, body, field, status) => {
      const response = await send('POST', charges(), { code: 'x', description: 'X', amount: '1', ...body });
      expect([response.statusCode, fields(response)]).toEqual([status, [field]]);
    });
  });

  describe('plan versions', () => {
    it('keep prices in other currencies, a minimum commitment, a tax category and rollover', async () => {
      const created = await send('POST', '/v1/plans', {
        code: 'multi-currency',
        name: 'Multi',
        kind: 'addon',
        recurringFee: '9.99',
        feePeriod: 'month',
        oneTimeFees: [
          { code: 'activation', name: 'Activation', amount: '19.99' },
          { code: 'sim', name: 'SIM card', amount: '5' },
        ],
        allowances: [
          { service: 'data', amount: '1GB', rolloverCycles: 2 },
          { service: 'sms', amount: '100' },
        ],
        prices: [
          { currency: 'USD', recurringFee: '10.99', oneTimeFees: [{ code: 'sim', amount: '6' }] },
          { currency: 'CHF', recurringFee: '9.5' },
        ],
        minimumCommitment: '20',
        taxCategory: 'broadband',
      });
      expect(created.statusCode).toBe(201);
      const version = {
        allowances: [
          { service: 'data', amount: '1GB', rolloverCycles: 2 },
          { service: 'sms', amount: '100' },
        ],
        prices: [
          { currency: 'CHF', recurringFee: '9.5', oneTimeFees: [] },
          { currency: 'USD', recurringFee: '10.99', oneTimeFees: [{ code: 'sim', amount: '6' }] },
        ],
        minimumCommitment: '20',
        taxCategory: 'broadband',
      };
      expect(created.json().current).toMatchObject(version);
      expect(created.json().current.allowances[1]).not.toHaveProperty('rolloverCycles');
      const read = await send('GET', `/v1/plans/${created.json().id}`, undefined, reader());
      expect(read.json().current).toMatchObject(version);
      const stored = await h.database.db
        .selectFrom('plan_versions')
        .select(['prices', 'minimum_commitment_micros', 'tax_category'])
        .where('plan_id', '=', created.json().id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        prices: {
          USD: { recurringFeeMicros: '10990000', oneTimeFeesMicros: { sim: '6000000' } },
          CHF: { recurringFeeMicros: '9500000', oneTimeFeesMicros: {} },
        },
        minimum_commitment_micros: 20_000_000n,
        tax_category: 'broadband',
      });

      const next = await send('POST', `/v1/plans/${created.json().id}/versions`, {
        recurringFee: '11',
        feePeriod: 'month',
        effectiveFrom: '2099-01-01T00:00:00Z',
      });
      expect(next.statusCode).toBe(201);
      expect(next.json()).toMatchObject({ prices: [], minimumCommitment: null, taxCategory: 'recurring' });
    });

    it.each([
      [
        "the version's own currency",
        { prices: [{ currency: 'EUR', recurringFee: '1' }] },
        '/prices/0/currency',
      ],
      [
        'a currency twice',
        {
          prices: [
            { currency: 'USD', recurringFee: '1' },
            { currency: 'USD', recurringFee: '2' },
          ],
        },
        '/prices/1/currency',
      ],
      ['an unknown currency', { prices: [{ currency: 'XYZ', recurringFee: '1' }] }, '/prices/0/currency'],
      [
        'a fee the version lacks',
        { prices: [{ currency: 'USD', recurringFee: '1', oneTimeFees: [{ code: 'router', amount: '1' }] }] },
        '/prices/0/oneTimeFees/0/code',
      ],
      [
        'a fee finer than a micro-unit',
        { prices: [{ currency: 'USD', recurringFee: '1.0000001' }] },
        '/prices/0/recurringFee',
      ],
      ['a bad minimum commitment', { minimumCommitment: '-1' }, '/minimumCommitment'],
      ['a bad tax category', { taxCategory: 'Recurring' }, '/taxCategory'],
      [
        '13 rollover cycles',
        { allowances: [{ service: 'sms', amount: '1', rolloverCycles: 13 }] },
        '/allowances/0/rolloverCycles',
      ],
    ])('refuses %s, naming the field', async (_, body, field) => {
      const response = await send('POST', '/v1/plans', {
        code: `bad-${randomUUID()}`,
        name: 'Bad',
        kind: 'addon',
        recurringFee: '1',
        feePeriod: 'month',
        ...body,
      });
      expect(response.statusCode).toBe(400);
      expect(fields(response)).toContain(field);
    });
  });

  describe('customers and accounts', () => {
    it('keep a customer address and tax id', async () => {
      const created = await send('POST', '/v1/customers', {
        kind: 'business',
        companyName: 'Initech',
        address: ['1 Infinite Loop', 'Austin, TX 78701'],
        taxId: 'US-12-3456789',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        address: ['1 Infinite Loop', 'Austin, TX 78701'],
        taxId: 'US-12-3456789',
      });
      const changed = await send('PATCH', `/v1/customers/${created.json().id}`, { address: ['PO Box 1'] });
      expect(changed.json()).toMatchObject({ address: ['PO Box 1'], taxId: 'US-12-3456789' });
      const plain = await send('POST', '/v1/customers', { kind: 'person', givenName: 'Ada' });
      expect(plain.json()).toMatchObject({ address: [], taxId: null });
      const tooLong = await send('POST', '/v1/customers', {
        kind: 'person',
        givenName: 'Ada',
        address: Array(7).fill('line'),
      });
      expect(fields(tooLong)).toEqual(['/address']);
    });

    it('keep an account bill cycle unit, month and itemised invoices; a weekly cycle starts on a weekday', async () => {
      const monthly = await send('GET', `/v1/accounts/${await createAccount()}`, undefined, reader());
      expect(monthly.json()).toMatchObject({
        billCycleUnit: 'month',
        billCycleDay: 1,
        billCycleMonth: 1,
        itemisedInvoices: false,
      });
      const weeklyId = await createAccount({
        billCycleUnit: 'week',
        billCycleDay: 7,
        itemisedInvoices: true,
      });
      const weekly = await send('GET', `/v1/accounts/${weeklyId}`, undefined, reader());
      expect(weekly.json()).toMatchObject({ billCycleUnit: 'week', billCycleDay: 7, itemisedInvoices: true });

      const customer = (await send('POST', '/v1/customers', { kind: 'person', givenName: 'W' })).json().id;
      const refused = await send('POST', '/v1/accounts', {
        kind: 'postpaid',
        customerId: customer,
        billCycleUnit: 'week',
        billCycleDay: 8,
      });
      expect([refused.statusCode, refused.json().code, fields(refused)]).toEqual([
        422,
        'unprocessable',
        ['/billCycleDay'],
      ]);

      const fifteenth = await createAccount({ billCycleDay: 15 });
      const toWeekly = await send('PATCH', `/v1/accounts/${fifteenth}`, { billCycleUnit: 'week' });
      expect([toWeekly.statusCode, fields(toWeekly)]).toEqual([422, ['/billCycleDay']]);
      const both = await send('PATCH', `/v1/accounts/${fifteenth}`, {
        billCycleUnit: 'week',
        billCycleDay: 3,
      });
      expect(both.json()).toMatchObject({ billCycleUnit: 'week', billCycleDay: 3 });
      const quarterly = await send('PATCH', `/v1/accounts/${fifteenth}`, {
        billCycleUnit: 'quarter',
        billCycleMonth: 2,
        itemisedInvoices: true,
      });
      expect(quarterly.json()).toMatchObject({
        billCycleUnit: 'quarter',
        billCycleDay: 3,
        billCycleMonth: 2,
        itemisedInvoices: true,
      });
      const badMonth = await send('PATCH', `/v1/accounts/${fifteenth}`, { billCycleMonth: 13 });
      expect(fields(badMonth)).toEqual(['/billCycleMonth']);
    });
  });

  it('documents every route in the OpenAPI document, tagged billing', async () => {
    const document = (await h.app.inject({ url: '/openapi.json' })).json();
    for (const [path, method] of [
      ['/v1/billing-profile', 'put'],
      ['/v1/tax-rules', 'post'],
      ['/v1/tax-rules/{id}', 'get'],
      ['/v1/fx-rates', 'get'],
      ['/v1/accounts/{id}/discounts/{discountId}', 'delete'],
      ['/v1/accounts/{id}/charges', 'post'],
    ] as const) {
      expect([path, method, document.paths[path]?.[method]?.tags]).toEqual([path, method, ['billing']]);
    }
  });

  it('keeps the audit chain whole', async () => {
    const verification = await verifyAuditChain(h.database.db);
    expect(verification.breaks).toEqual([]);
  });
});
