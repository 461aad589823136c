import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/create-account.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { issueApiKey } from '../../src/auth/api-keys.js';
import type { InvoiceDocument } from '../../src/billing/invoice-document.js';
import { createCustomer } from '../../src/customers/create-customer.js';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { buildApp } from '../../src/http/build-app.js';
import { createTestTenant } from '../api/api-fixtures.js';
import {
  type ChargingFixture,
  mainBalance,
  openChargingFixture,
  voiceRequest,
} from '../charging/charging-fixture.js';
import { runCli } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';
import { readPdfText } from './render/read-pdf-text.js';

const MARCH = 'from=2026-03-01&to=2026-04-01';

function sumOfLines(document: InvoiceDocument): bigint {
  return document.lines.reduce((sum, line) => sum + BigInt(line.amountMicros), 0n);
}

/**
 * Statements and receipts of the demo's prepaid account: top-ups before, in and after March, two
 * calls charged online on one day, a voucher; the statement adds up to the ledger, and receipts
 * are numbered once each, without gaps.
 */
describe(`statements and receipts of a prepaid balance (${DATABASE_LABEL})`, () => {
  let f: ChargingFixture;
  let app: FastifyInstance;
  let admin: string;
  let operator: string;
  let readOnly: string;
  let account: string;
  const topUps: Record<string, string> = {};
  let voucherTransaction = '';
  let chargedMicros = 0n;

  const at = (instant: string) => {
    f.clock.now = new Date(instant);
  };
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
  const topUp = async (amount: string, reference: string) => {
    const response = await call('POST', `/v1/accounts/${account}/topups`, operator, {
      amount,
      method: 'payment',
      reference,
    });
    expect(response.statusCode).toBe(201);
    topUps[reference] = response.json().id;
  };
  const voiceCall = async (sessionId: string, seconds: bigint) => {
    const engine = f.engine();
    const started = await engine.initiate(voiceRequest(f, sessionId, 0, { requested: seconds }));
    expect(started.ok).toBe(true);
    const ended = await engine.terminate(voiceRequest(f, sessionId, 1, { used: seconds }));
    if (!ended.ok) throw new Error(JSON.stringify(ended));
    for (const service of ended.services) chargedMicros += service.chargedMicros;
  };
  const statementOf = async (query: string) => {
    const response = await call('GET', `/v1/accounts/${account}/statement?${query}`, readOnly);
    expect(response.statusCode).toBe(200);
    return response.json() as InvoiceDocument;
  };
  const setLanguage = async (language: string) => {
    const row = await f.database.db
      .selectFrom('accounts')
      .select('customer_id')
      .where('id', '=', account)
      .executeTakeFirstOrThrow();
    await f.database.db
      .updateTable('customers')
      .set({ language })
      .where('id', '=', row.customer_id)
      .execute();
  };

  beforeAll(async () => {
    f = await openChargingFixture();
    account = f.prepaid.accountId;
    app = await buildApp({ db: f.database.db, now: () => f.clock.now });
    admin = (await issueApiKey(f.database.db, f.tenantId, 'admin', 'admin')).key;
    operator = (await issueApiKey(f.database.db, f.tenantId, 'operator', 'operator')).key;
    readOnly = (await issueApiKey(f.database.db, f.tenantId, 'reader', 'read-only')).key;

    at('2026-02-20T10:00:00Z');
    await topUp('5.00', 'FEB-1');
    at('2026-03-02T08:00:00Z');
    await topUp('20.00', 'PAY-1');
    at('2026-03-10T09:00:00Z');
    await voiceCall('call-1', 120n);
    at('2026-03-10T15:00:00Z');
    await voiceCall('call-2', 45n);
    at('2026-03-12T17:00:00Z');
    await topUp('10.00', 'PAY-2');
    at('2026-03-15T12:00:00Z');
    const batch = await call('POST', '/v1/voucher-batches', admin, {
      name: 'Spring',
      amount: '3.00',
      currency: 'EUR',
      count: 1,
      expiresAt: '2026-12-31T00:00:00Z',
    });
    expect(batch.statusCode).toBe(201);
    const redeemed = await call('POST', `/v1/accounts/${account}/voucher-redemptions`, operator, {
      code: batch.json().codes[0].code,
    });
    expect(redeemed.statusCode).toBe(201);
    voucherTransaction = redeemed.json().id;
    // 00:30 on 1 April in Berlin (summer time): April's, not March's.
    at('2026-03-31T22:30:00Z');
    await topUp('7.00', 'APR-1');
    at('2026-04-05T10:00:00Z');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await f?.close();
  });

  it('opens with the balance before the period, and adds up to the closing balance exactly', async () => {
    expect(chargedMicros).toBeGreaterThan(0n);
    const march = await statementOf(MARCH);
    expect(march).toMatchObject({
      kind: 'statement',
      number: null,
      status: 'finalized',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      period: { from: '2026-03-01', to: '2026-03-31' },
      issuedOn: '2026-04-05',
      taxSummary: [],
    });
    expect(march.lines.map((line) => [line.kind, line.label, line.period?.from ?? null])).toEqual([
      ['adjustment', 'opening_balance', null],
      ['adjustment', 'topup', '2026-03-02'],
      ['adjustment', 'charge', '2026-03-10'],
      ['adjustment', 'topup', '2026-03-12'],
      ['adjustment', 'voucher', '2026-03-15'],
    ]);
    const [opening, first, usage, second, voucher] = march.lines;
    expect(opening?.amountMicros).toBe('5000000');
    expect([first?.amountMicros, first?.subscription]).toEqual(['20000000', 'PAY-1 · payment']);
    // Both calls of the day on one line.
    expect(usage?.amountMicros).toBe(String(-chargedMicros));
    expect(usage?.subscription).toMatch(/rating group 1$/);
    expect(second?.amountMicros).toBe('10000000');
    expect(voucher?.amountMicros).toBe('3000000');
    const closing = 5_000_000n + 20_000_000n - chargedMicros + 10_000_000n + 3_000_000n;
    expect(sumOfLines(march)).toBe(closing);
    expect(march.totals).toEqual({
      netMicros: String(closing),
      taxMicros: '0',
      totalMicros: String(closing),
    });
    // The ledger agrees: today's balance is March's closing plus April's top-up.
    expect((await mainBalance(f, account)).balance).toBe(closing + 7_000_000n);
  });

  it('carries the closing balance of one period into the next', async () => {
    const march = await statementOf(MARCH);
    const april = await statementOf('from=2026-04-01&to=2026-05-01');
    expect(april.lines.map((line) => [line.label, line.amountMicros])).toEqual([
      ['opening_balance', march.totals.totalMicros],
      ['topup', '7000000'],
    ]);
    const both = await statementOf('from=2026-02-01&to=2026-05-01');
    expect(both.lines[0]?.amountMicros).toBe('0');
    expect(both.totals.totalMicros).toBe(april.totals.totalMicros);
  });

  it('prints the statement in the customer language', async () => {
    await setLanguage('de-DE');
    const pdf = await call('GET', `/v1/accounts/${account}/statement?${MARCH}&format=pdf`, readOnly);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await readPdfText(pdf.rawPayload)).pages.join('\n');
    for (const words of [
      'Kontoauszug',
      'Anfangssaldo',
      'Aufladung',
      'Verbrauch',
      'Gutschein',
      'Schlusssaldo',
    ])
      expect(text).toContain(words);
    expect(text).not.toContain('Korrektur');

    await setLanguage('en');
    const html = await call('GET', `/v1/accounts/${account}/statement?${MARCH}&format=html`, readOnly);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const words of [
      '<h1>Statement</h1>',
      'Opening balance',
      'Top-up',
      'PAY-1 · payment',
      'Closing balance',
    ])
      expect(html.body).toContain(words);
    const english = await readPdfText(
      (await call('GET', `/v1/accounts/${account}/statement?${MARCH}&format=pdf`, readOnly)).rawPayload,
    );
    expect(english.pages.join('\n')).toContain('Statement');
    await setLanguage('es');
  });

  it('refuses bad periods with the field, and unknown accounts with 404', async () => {
    const field = async (query: string) => {
      const response = await call('GET', `/v1/accounts/${account}/statement?${query}`, readOnly);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      return response.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await field('to=2026-04-01')).toEqual(['querystring:/from']);
    expect(await field('from=2026-03-01')).toEqual(['querystring:/to']);
    expect(await field('from=2026-02-30&to=2026-04-01')).toEqual(['querystring:/from']);
    expect(await field('from=1.3.2026&to=2026-04-01')).toEqual(['querystring:/from']);
    expect(await field('from=2026-04-01&to=2026-04-01')).toEqual(['querystring:/to']);
    expect(await field('from=2026-01-01&to=2027-01-03')).toEqual(['querystring:/to']);
    expect(new Set(await field(`${MARCH}&format=xml`))).toEqual(new Set(['querystring:/format']));
    const unknown = await call(
      'GET',
      `/v1/accounts/00000000-0000-4000-8000-000000000000/statement?${MARCH}`,
      readOnly,
    );
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not_found']);
  });

  it('numbers receipts gaplessly, once per top-up', async () => {
    const first = await call('POST', `/v1/ledger-transactions/${topUps['PAY-1']}/receipt`, operator);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      number: 'RCT-000001',
      ledgerTransactionId: topUps['PAY-1'],
      accountId: account,
    });
    const document = first.json().document as InvoiceDocument;
    expect(document).toMatchObject({
      kind: 'receipt',
      number: 'RCT-000001',
      status: 'finalized',
      period: null,
    });
    expect(document.lines.map((line) => [line.label, line.amountMicros, line.period?.from ?? null])).toEqual([
      ['previous_balance', '5000000', null],
      ['topup', '20000000', '2026-03-02'],
    ]);
    expect(document.lines[1]?.subscription).toBe('PAY-1 · payment');
    expect(document.totals.totalMicros).toBe('25000000');

    const second = await call('POST', `/v1/ledger-transactions/${topUps['PAY-2']}/receipt`, operator);
    expect([second.statusCode, second.json().number]).toEqual([201, 'RCT-000002']);
    expect(second.json().document.totals.totalMicros).toBe(String(35_000_000n - chargedMicros));

    const again = await call('POST', `/v1/ledger-transactions/${topUps['PAY-1']}/receipt`, operator);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());

    const voucher = await call('POST', `/v1/ledger-transactions/${voucherTransaction}/receipt`, operator);
    expect([voucher.statusCode, voucher.json().number]).toEqual([201, 'RCT-000003']);
    expect(voucher.json().document.lines[1].label).toBe('voucher');
  });

  it('gives a top-up asked for concurrently one receipt, and takes no number twice', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('POST', `/v1/ledger-transactions/${topUps['FEB-1']}/receipt`, operator),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().number))).toEqual(new Set(['RCT-000004']));
    const next = await call('POST', `/v1/ledger-transactions/${topUps['APR-1']}/receipt`, operator);
    expect(next.json().number).toBe('RCT-000005');
    const numbers = await f.database.db
      .selectFrom('receipts')
      .select('sequence')
      .where('tenant_id', '=', f.tenantId)
      .orderBy('sequence')
      .execute();
    expect(numbers.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses receipts for what is not a top-up, and to a read-only key', async () => {
    const charge = await f.database.db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('account_id', '=', account)
      .where('kind', '=', 'charge')
      .executeTakeFirstOrThrow();
    const refused = await call('POST', `/v1/ledger-transactions/${charge.id}/receipt`, operator);
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'conflict']);
    const unknown = await call(
      'POST',
      '/v1/ledger-transactions/00000000-0000-4000-8000-000000000000/receipt',
      operator,
    );
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not_found']);
    const forbidden = await call('POST', `/v1/ledger-transactions/${topUps['PAY-2']}/receipt`, readOnly);
    expect(forbidden.statusCode).toBe(403);
  });

  it('reads a receipt by its number or its transaction, as JSON, HTML or PDF', async () => {
    const byNumber = await call('GET', '/v1/receipts/RCT-000002', readOnly);
    expect(byNumber.statusCode).toBe(200);
    expect(byNumber.json().ledgerTransactionId).toBe(topUps['PAY-2']);
    const byTransaction = await call('GET', `/v1/receipts/${topUps['PAY-2']}`, readOnly);
    expect(byTransaction.json()).toEqual(byNumber.json());
    // The demo customer writes Spanish: the receipt was issued in it.
    const pdf = await call('GET', '/v1/receipts/RCT-000002?format=pdf', readOnly);
    expect(pdf.headers['content-disposition']).toBe('inline; filename="RCT-000002.pdf"');
    const text = (await readPdfText(pdf.rawPayload)).pages.join('\n');
    for (const words of ['Recibo', 'RCT-000002', 'Saldo anterior', 'Recarga', 'PAY-2', 'Nuevo saldo'])
      expect(text).toContain(words);
    const html = await call('GET', `/v1/receipts/${topUps['PAY-2']}?format=html`, readOnly);
    expect(html.body).toContain('<h1>Recibo</h1>');
    for (const missing of ['RCT-999999', '00000000-0000-4000-8000-000000000000', 'nothing'])
      expect((await call('GET', `/v1/receipts/${missing}`, readOnly)).statusCode).toBe(404);
  });

  it('documents the routes under billing and keeps the audit chain whole', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    for (const [path, method] of [
      ['/v1/accounts/{id}/statement', 'get'],
      ['/v1/ledger-transactions/{id}/receipt', 'post'],
      ['/v1/receipts/{reference}', 'get'],
    ] as const)
      expect([path, document.paths[path]?.[method]?.tags]).toEqual([path, ['billing']]);
    expect((await verifyAuditChain(f.database.db)).breaks).toEqual([]);
  });
});

/**
 * `tollgate statement` and `tollgate receipt` on the embedded database in a data directory of
 * their own (one process at a time may open it, so the test closes it first).
 */
describe('tollgate statement and receipt', () => {
  let work: string;
  let accountNumber = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-statement-'));
    const dataDir = join(work, 'data');
    process.env.TOLLGATE_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.TOLLGATE_CONFIG;
    const database = await createDatabase({ dataDir });
    try {
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) throw migrated.error;
      const tenant = await createTestTenant(database.db, 'Statement operator');
      const actor = { type: 'system', id: 'test' } as const;
      const customer = await createCustomer(
        database.db,
        tenant.id,
        actor,
        { kind: 'person', givenName: 'Ada', language: 'en' },
        new Date(),
      );
      if (!customer.ok) throw new Error(customer.message);
      const created = await createAccount(
        database.db,
        tenant.id,
        actor,
        { customerId: customer.customer.id, kind: 'prepaid', timeZone: 'UTC' },
        new Date(),
      );
      if (!created.ok) throw new Error(created.message);
      accountNumber = created.account.accountNumber;
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('issues a receipt for a top-up and prints the statement that holds it', async () => {
    const topUp = await runCli(['balance', 'topup', '--account', accountNumber, '--amount', '12.50']);
    expect(topUp.code).toBe(0);
    const transaction = /transaction ([0-9a-f-]{36})/.exec(topUp.stdout)?.[1] ?? '';

    const receipt = await runCli(['receipt', transaction]);
    expect([receipt.code, receipt.stderr]).toEqual([0, '']);
    expect(JSON.parse(receipt.stdout)).toMatchObject({
      number: 'RCT-000001',
      document: { kind: 'receipt', totals: { totalMicros: '12500000' } },
    });
    const pdfFile = join(work, 'receipt.pdf');
    const rendered = await runCli(['receipt', transaction, '--out', pdfFile]);
    expect(rendered.code).toBe(0);
    const text = (await readPdfText(await readFile(pdfFile))).pages.join('\n');
    expect(text).toContain('Receipt');
    expect(text).toContain('RCT-000001');

    const day = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const statement = await runCli([
      'statement',
      '--account',
      accountNumber,
      '--from',
      day(-1),
      '--to',
      day(2),
    ]);
    expect(statement.code).toBe(0);
    const document = JSON.parse(statement.stdout) as InvoiceDocument;
    expect(document.lines.map((line) => [line.label, line.amountMicros])).toEqual([
      ['opening_balance', '0'],
      ['topup', '12500000'],
    ]);

    const bad = await runCli(['statement', '--account', accountNumber, '--from', day(2), '--to', day(-1)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to');
  }, 120_000);
});
