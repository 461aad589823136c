import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { type BillRunQueue, startBillRunQueue } from '../../src/billing/bill-run-queue.js';
import { buildApp } from '../../src/http/build-app.js';
import { type BillingFixture, openBillingFixture } from './billing-fixture.js';
import { readPdfText } from './render/read-pdf-text.js';

const APRIL_1 = '2026-04-01T00:00:00+02:00';

describe('billing over the API, with bill runs worked by the job queue', () => {
  let f: BillingFixture;
  let app: FastifyInstance;
  let queue: BillRunQueue;
  let admin: string;
  let readOnly: string;
  let account: string;

  beforeAll(async () => {
    f = await openBillingFixture();
    await f.taxRule('DE', '*', [{ code: 'DE-VAT', name: 'USt', ratePercent: '19' }]);
    const basic = await f.plan('basic', { name: 'Basic', recurringFee: '30.00' });
    account = await f.account();
    await f.line(account, '+4915200000100', basic, '2026-03-15T00:00:00+01:00');
    await f.calls('api', [['+4915200000100', '+4930555123', '2026-03-20T10:00:00+01:00', 125]]);
    queue = await startBillRunQueue(f.database, () => new Date(), 2);
    app = await buildApp({ db: f.database.db, now: () => new Date(), billRuns: queue });
    admin = (await issueApiKey(f.database.db, f.tenantId, 'admin', 'admin')).key;
    readOnly = (await issueApiKey(f.database.db, f.tenantId, 'reader', 'read-only')).key;
  });
  afterAll(async () => {
    await app.close();
    await queue.stop();
    await f.close();
  });

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  async function runToEnd(body: Record<string, unknown>) {
    const started = await call('POST', '/v1/bill-runs', admin, body);
    expect(started.statusCode).toBe(202);
    const id = started.json().id as string;
    for (let attempt = 0; attempt < 200; attempt++) {
      const run = (await call('GET', `/v1/bill-runs/${id}`, readOnly)).json();
      if (run.status === 'done') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`bill run ${id} did not finish`);
  }

  it('refuses a bill run to a read-only key', async () => {
    expect((await call('POST', '/v1/bill-runs', readOnly, { asOf: APRIL_1 })).statusCode).toBe(403);
  });

  it('runs a bill run through the queue, then reads, renders and traces the invoice', async () => {
    const run = await runToEnd({ asOf: APRIL_1 });
    expect(run.pending).toBe(0);
    expect(run.parked).toBe(0);
    const list = (await call('GET', `/v1/invoices?accountId=${account}`, readOnly)).json();
    expect(list.items).toHaveLength(1);
    const invoice = list.items[0];
    expect(invoice.status).toBe('finalized');
    expect(invoice.periodFrom).toBe('2026-03-15');
    expect(invoice.periodTo).toBe('2026-03-31');
    const detail = (await call('GET', `/v1/invoices/${invoice.id}`, readOnly)).json();
    expect(detail.lines.map((l: { kind: string }) => l.kind)).toEqual(['recurring', 'recurring', 'usage']);
    const usageLine = detail.lines.find((l: { kind: string }) => l.kind === 'usage');
    const records = (await call('GET', usageLine.usageRecords, readOnly)).json();
    expect(records.items).toHaveLength(1);
    expect(records.items[0].units).toBeDefined();
    const explained = await call('GET', `/v1/rated-usage/${records.items[0].id}`, readOnly);
    expect(explained.json().reproduced).toBe(true);

    const pdf = await call('GET', `/v1/invoices/${invoice.id}/pdf`, readOnly);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await readPdfText(pdf.rawPayload)).pages.join('\n');
    expect(text).toContain('Rechnung');
    expect(text).toContain(invoice.number);
    const html = await call('GET', `/v1/invoices/${invoice.id}/html`, readOnly);
    expect(html.body).toContain('<html lang="de"');
    expect(html.body).toContain(invoice.number);
  });

  it('credits part of a line, then the rest, and refuses to credit more or to void a credited invoice', async () => {
    const invoice = (await call('GET', `/v1/invoices?accountId=${account}&kind=invoice`, readOnly)).json()
      .items[0];
    const partial = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, admin, {
      reason: 'Outage on 20 March',
      lines: [{ position: 2, amount: '10.00' }],
    });
    expect(partial.statusCode).toBe(201);
    const note = partial.json();
    expect(note.kind).toBe('credit_note');
    expect(note.number).toMatch(/^CN-\d{6}$/);
    expect(note.lines.map((l: { amount: string; tax: string }) => [l.amount, l.tax])).toEqual([
      ['-10.00', '-1.90'],
    ]);
    expect(note.total).toBe('-11.90');
    const rest = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, admin, {
      reason: 'Goodwill',
      lines: [{ position: 2 }],
    });
    expect(rest.json().lines.map((l: { amount: string; tax: string }) => [l.amount, l.tax])).toEqual([
      ['-20.00', '-3.80'],
    ]);
    const tooMuch = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, admin, {
      reason: 'Again',
      lines: [{ position: 2, amount: '0.01' }],
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].field).toBe('/lines/0/amount');
    const after = (await call('GET', `/v1/invoices/${invoice.id}`, readOnly)).json();
    expect(after.credited).toBe('35.70');
    expect(
      (await call('POST', `/v1/invoices/${invoice.id}/void`, admin, { reason: 'wrong' })).statusCode,
    ).toBe(409);
    expect((await call('POST', `/v1/invoices/${invoice.id}/payment`, admin)).json().status).toBe('paid');
    expect((await call('POST', `/v1/invoices/${invoice.id}/payment`, admin)).statusCode).toBe(409);
  });

  it('leaves drafts when asked, and numbers a draft when it is finalised', async () => {
    const run = await runToEnd({ asOf: '2026-05-01T00:00:00+02:00', finalize: false });
    expect(run.invoiced).toBeGreaterThan(0);
    const drafts = (await call('GET', `/v1/invoices?accountId=${account}&status=draft`, readOnly)).json()
      .items;
    expect(drafts).toHaveLength(1);
    expect(drafts[0].number).toBeNull();
    const finalized = await call('POST', `/v1/invoices/${drafts[0].id}/finalization`, admin);
    expect(finalized.json().status).toBe('finalized');
    expect(finalized.json().number).toMatch(/^INV-\d{6}$/);
    expect((await call('POST', `/v1/invoices/${drafts[0].id}/finalization`, admin)).statusCode).toBe(409);
  });

  it('answers 404 for an unknown invoice and a line that is not usage', async () => {
    expect(
      (await call('GET', '/v1/invoices/00000000-0000-4000-8000-000000000000', readOnly)).statusCode,
    ).toBe(404);
    const invoice = (await call('GET', `/v1/invoices?accountId=${account}&kind=invoice`, readOnly)).json()
      .items[0];
    expect((await call('GET', `/v1/invoices/${invoice.id}/lines/1/usage`, readOnly)).statusCode).toBe(404);
  });
});
