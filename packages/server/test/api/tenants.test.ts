import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

describe(`tenant settings and resellers (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await openApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows and changes the tenant settings, checking currency and zone', async () => {
    const read = await h.app.inject({ url: '/v1/tenant', headers: bearer(h.tenant.keys['read-only']) });
    expect(read.json()).toMatchObject({
      id: h.tenant.id,
      defaultCurrency: 'EUR',
      timeZone: 'Europe/Berlin',
      countryCode: '49',
    });
    const patch = (payload: object) =>
      h.app.inject({ method: 'PATCH', url: '/v1/tenant', headers: bearer(h.tenant.keys.admin), payload });
    expect((await patch({ language: 'en', name: 'Acme Telecom AG' })).json()).toMatchObject({
      language: 'en',
      name: 'Acme Telecom AG',
    });
    const badCurrency = await patch({ defaultCurrency: 'XYZ' });
    expect([badCurrency.statusCode, badCurrency.json().errors[0].field]).toEqual([400, '/defaultCurrency']);
    const badZone = await patch({ timeZone: 'Mars/Olympus' });
    expect([badZone.statusCode, badZone.json().errors[0].field]).toEqual([400, '/timeZone']);
  });

  it('creates a reseller that inherits settings and keeps its data apart', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/resellers',
      headers: bearer(h.tenant.keys.admin),
      payload: { slug: `kiez-${Date.now()}`, name: 'Kiez Mobile', language: 'de' },
    });
    expect(created.statusCode).toBe(201);
    const reseller = created.json();
    expect(reseller).toMatchObject({
      parentTenantId: h.tenant.id,
      defaultCurrency: 'EUR',
      timeZone: 'Europe/Berlin',
      language: 'de',
    });
    const listed = (
      await h.app.inject({ url: '/v1/resellers', headers: bearer(h.tenant.keys.admin) })
    ).json();
    expect(listed.items.map((t: { id: string }) => t.id)).toContain(reseller.id);
    const again = await h.app.inject({
      method: 'POST',
      url: '/v1/resellers',
      headers: bearer(h.tenant.keys.admin),
      payload: { slug: reseller.slug, name: 'Copy' },
    });
    expect(again.statusCode).toBe(409);

    const resellerKey = (await issueApiKey(h.database.db, reseller.id, 'reseller admin', 'admin')).key;
    const theirCustomer = (
      await h.app.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: bearer(resellerKey),
        payload: { kind: 'person', givenName: 'Kiez' },
      })
    ).json();
    const fromParent = await h.app.inject({
      url: `/v1/customers/${theirCustomer.id}`,
      headers: bearer(h.tenant.keys.admin),
    });
    expect(fromParent.statusCode).toBe(404);
    const own = (await h.app.inject({ url: '/v1/customers', headers: bearer(resellerKey) })).json();
    expect(own.items.map((c: { id: string }) => c.id)).toEqual([theirCustomer.id]);
  });
});
