import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type ApiHarness, bearer, openApiHarness } from './api-fixtures.js';

interface Hit {
  kind: string;
  id: string;
  customerId: string;
  label: string;
  detail: string;
  exact: boolean;
}

describe(`staff search (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let anna: { customerId: string; accountId: string; accountNumber: string; lineId: string };
  let kiez: { customerId: string; accountId: string; accountNumber: string; lineId: string };
  let invoice: { id: string; number: string };

  const post = (url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: bearer(h.tenant.keys.admin), payload });
  const search = async (q: string, key = h.tenant.keys['read-only']): Promise<Hit[]> => {
    const response = await h.app.inject({
      url: `/v1/search?q=${encodeURIComponent(q)}`,
      headers: bearer(key),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  };

  async function customerWithLine(customer: object, identifiers: object[]) {
    const created = (await post('/v1/customers', customer)).json();
    const account = (await post('/v1/accounts', { customerId: created.id, kind: 'prepaid' })).json();
    const line = (await post(`/v1/accounts/${account.id}/subscriptions`, { identifiers })).json();
    return {
      customerId: created.id as string,
      accountId: account.id as string,
      accountNumber: account.accountNumber as string,
      lineId: line.id as string,
    };
  }

  beforeAll(async () => {
    h = await openApiHarness();
    anna = await customerWithLine(
      { kind: 'person', givenName: 'Anna', familyName: 'Schmidt-Weber', email: 'Anna.Weber@Example.com' },
      [{ kind: 'msisdn', value: '+4915112345678' }],
    );
    kiez = await customerWithLine(
      { kind: 'business', companyName: 'Kiezfunk GmbH', email: 'billing@kiezfunk.example' },
      [{ kind: 'sip_uri', value: 'sip:Desk@Kiezfunk.example' }],
    );
    // The other tenant has a customer of the same name: never found from this one.
    await h.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: bearer(h.otherTenant.keys.admin),
      payload: { kind: 'person', givenName: 'Anna', familyName: 'Schmidt' },
    });
    // An invoice with a number, as a finalised one has (numbers come from the finalising bill run).
    const { db } = h.database;
    invoice = { id: randomUUID(), number: 'INV-000042' };
    await db
      .insertInto('invoices')
      .values({
        id: invoice.id,
        tenant_id: h.tenant.id,
        account_id: kiez.accountId,
        kind: 'invoice',
        status: 'finalized',
        series: 'INV',
        sequence: 42n,
        number: invoice.number,
        currency: 'EUR',
        language: 'de',
        period_from_day: 20_454,
        period_to_day: 20_482,
        advance_to_day: null,
        net_micros: 10_000_000n,
        tax_micros: 1_900_000n,
        total_micros: 11_900_000n,
        credits_invoice_id: null,
        reason: null,
        bill_run_id: null,
        document: JSON.stringify({}),
        issued_on: '2026-03-01',
        due_on: '2026-03-15',
        finalized_at: new Date('2026-03-01T00:00:00Z'),
      })
      .execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('finds customers by any part of their name, in any case', async () => {
    for (const q of ['anna', 'SCHMIDT', 'dt-we', 'anna schmidt']) {
      const hits = await search(q);
      expect(hits.map((x) => [x.kind, x.id])).toEqual([['customer', anna.customerId]]);
    }
    expect(await search('kiezfunk gmbh')).toEqual([
      {
        kind: 'customer',
        id: kiez.customerId,
        customerId: kiez.customerId,
        label: 'Kiezfunk GmbH',
        detail: 'billing@kiezfunk.example, active',
        exact: true,
      },
    ]);
  });

  it('finds customers by e-mail, whole or in part', async () => {
    const whole = await search('anna.weber@example.com');
    expect(whole).toEqual([expect.objectContaining({ kind: 'customer', id: anna.customerId, exact: true })]);
    const part = await search('@kiezfunk');
    expect(part.map((x) => [x.kind, x.id, x.exact])).toContainEqual(['customer', kiez.customerId, false]);
  });

  it('finds a line by its identifier as typed or in any form it normalises from', async () => {
    // The tenant dials 0 for national numbers and 00 for international ones (Germany).
    for (const q of [
      '+4915112345678',
      '0151 12345678',
      '004915112345678',
      '4915112345678',
      ' 4915112345678',
    ]) {
      const hits = await search(q);
      expect(hits[0], q).toEqual({
        kind: 'line',
        id: anna.lineId,
        customerId: anna.customerId,
        label: '+4915112345678',
        detail: `msisdn of a line on ${anna.accountNumber}, Anna Schmidt-Weber`,
        exact: true,
      });
    }
    const partial = await search('12345678');
    expect(partial[0]).toMatchObject({ kind: 'line', id: anna.lineId, exact: false });
    const sip = await search('SIP:desk@kiezfunk.EXAMPLE');
    expect(sip[0]).toMatchObject({
      kind: 'line',
      id: kiez.lineId,
      label: 'sip:desk@kiezfunk.example',
      exact: true,
    });
  });

  it('finds an account by its number', async () => {
    const hits = await search(anna.accountNumber.toLowerCase());
    expect(hits[0]).toEqual({
      kind: 'account',
      id: anna.accountId,
      customerId: anna.customerId,
      label: anna.accountNumber,
      detail: 'prepaid account of Anna Schmidt-Weber, active',
      exact: true,
    });
  });

  it('finds an invoice by its number', async () => {
    const hits = await search('inv-000042');
    expect(hits).toEqual([
      {
        kind: 'invoice',
        id: invoice.id,
        customerId: kiez.customerId,
        label: 'INV-000042',
        detail: `invoice of ${kiez.accountNumber}, Kiezfunk GmbH: 11.90 EUR, finalized`,
        exact: true,
      },
    ]);
    expect((await search('000042')).map((x) => [x.kind, x.exact])).toEqual([['invoice', false]]);
  });

  it('finds nothing of another tenant, and nothing for nonsense', async () => {
    const theirs = await search('schmidt', h.otherTenant.keys['read-only']);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]?.id).not.toBe(anna.customerId);
    expect(await search('zzqqxx')).toEqual([]);
    expect(await search('   ')).toEqual([]);
  });

  it('answers at most 20 hits', async () => {
    for (let i = 0; i < 22; i++)
      await post('/v1/customers', { kind: 'person', givenName: 'Anna', familyName: `Test ${i}` });
    const hits = await search('Anna');
    expect(hits).toHaveLength(20);
    expect(hits.every((x) => x.kind === 'customer')).toBe(true);
  });

  it('refuses a query too short to search by, and callers without a key', async () => {
    const short = await h.app.inject({ url: '/v1/search?q=a', headers: bearer(h.tenant.keys['read-only']) });
    expect(short.json()).toMatchObject({ code: 'validation_failed' });
    expect((await h.app.inject({ url: '/v1/search?q=anna' })).statusCode).toBe(401);
  });
});
