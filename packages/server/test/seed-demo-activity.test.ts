import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify-audit-chain.js';
import { findMainBucket } from '../src/balances/balance-store.js';
import { verifyLedger } from '../src/balances/verify-ledger.js';
import { buildApp } from '../src/http/build-app.js';
import { createPaymentGateways } from '../src/payments/gateways/create-payment-gateways.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/seed/demo-users.js';
import { type DemoSeed, seedDemo } from '../src/seed/seed-demo.js';
import { type DemoActivitySummary, demoFoundedAt, seedDemoActivity } from '../src/seed/seed-demo-activity.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from './test-database.js';

/** A spring day: the history crosses the change to summer time, and both accounts' cycles close in it. */
const NOW = new Date('2026-04-12T09:30:00Z');
const DAY_MS = 86_400_000;

interface SeededDemo {
  readonly database: TestDatabase;
  readonly demo: DemoSeed;
  readonly activity: DemoActivitySummary;
}

async function seedFreshDemo(): Promise<SeededDemo> {
  const database = await openTestDatabase();
  const demo = await seedDemo(database.db, demoFoundedAt(NOW));
  if (demo === null) throw new Error('the fresh database was not empty');
  const activity = await seedDemoActivity(database.db, demo, NOW, {
    gateways: createPaymentGateways({ sandbox: true, sandboxWebhookSecret: 'demo-test-secret' }),
  });
  return { database, demo, activity };
}

/** What the history adds up to, per line and per account: equal on two databases if it is deterministic. */
async function fingerprint({ database, demo }: SeededDemo) {
  const usage = await database.db
    .selectFrom('rated_usage')
    .select((eb) => [
      'subscriber',
      'service',
      eb.fn.countAll<string>().as('records'),
      eb.fn.sum<string>('units').as('units'),
      eb.fn.sum<string>('charged_micros').as('charged'),
      eb.fn.sum<string>('debited_micros').as('debited'),
    ])
    .where('tenant_id', '=', demo.tenantId)
    .groupBy(['subscriber', 'service'])
    .orderBy('subscriber')
    .orderBy('service')
    .execute();
  const invoices = await database.db
    .selectFrom('invoices')
    .select(['number', 'status', 'issued_on', 'due_on', 'total_micros'])
    .where('tenant_id', '=', demo.tenantId)
    .orderBy('number')
    .execute();
  const balances = [];
  for (const customer of demo.customers)
    balances.push((await findMainBucket(database.db, demo.tenantId, customer.account.id)).balance);
  return {
    usage: usage.map((u) => ({ ...u, records: String(u.records) })),
    invoices: invoices.map((i) => ({ ...i, total_micros: String(i.total_micros) })),
    balances: balances.map(String),
  };
}

describe(`the demo operator's history (${DATABASE_LABEL})`, () => {
  let first: SeededDemo;
  let app: FastifyInstance;

  beforeAll(async () => {
    first = await seedFreshDemo();
    app = await buildApp({ db: first.database.db, now: () => NOW });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await first?.database.close();
  });

  const customer = (email: string) => {
    const found = first.demo.customers.find((c) => c.email === email);
    if (found === undefined) throw new Error(`no demo customer ${email}`);
    return found;
  };
  const adminKey = () => ({ authorization: `Bearer ${first.demo.adminKey}` });

  it('lets every demo user sign in with the demo password', async () => {
    expect(first.activity.users).toBe(DEMO_USERS.length);
    for (const user of DEMO_USERS) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { tenant: first.demo.tenantSlug, email: user.email, password: DEMO_PASSWORD },
      });
      expect(response.statusCode, user.email).toBe(201);
      const signedIn = response.json().user;
      expect(signedIn.kind).toBe(user.kind);
      if (user.kind === 'staff') expect(signedIn.role).toBe(user.role);
      else expect(signedIn.customerId).toBe(customer(user.customerEmail).customerId);
    }
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { tenant: first.demo.tenantSlug, email: 'admin@demo.example', password: 'not-the-demo-one' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('rates a few hundred records on every line, all in the 60 days before now', async () => {
    expect(first.activity.usage).toEqual({ loaded: expect.any(Number), suspended: 0, duplicate: 0 });
    const lines = first.demo.customers.flatMap((c) => c.lines);
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      const rows = await first.database.db
        .selectFrom('rated_usage')
        .select(['service', 'started_at'])
        .where('subscription_id', '=', line.subscriptionId)
        .execute();
      expect(rows.length, line.msisdn).toBeGreaterThanOrEqual(200);
      expect(rows.length, line.msisdn).toBeLessThan(1000);
      expect(new Set(rows.map((r) => r.service)), line.msisdn).toEqual(new Set(['call', 'sms', 'data']));
      for (const row of rows) {
        expect(row.started_at.getTime()).toBeLessThan(NOW.getTime());
        expect(row.started_at.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 60 * DAY_MS);
      }
    }
    const calls = await first.database.db
      .selectFrom('rated_usage')
      .select('destination')
      .where('tenant_id', '=', first.demo.tenantId)
      .where('service', '=', 'call')
      .where('destination', 'like', '+1%')
      .execute();
    expect(
      calls.length,
      'calls to the USA, the demo tariff priced international destination',
    ).toBeGreaterThan(0);
  });

  it('spends allowances first, then the prepaid balance, and accrues postpaid usage', async () => {
    const sums = await first.database.db
      .selectFrom('rated_usage')
      .innerJoin('accounts', 'accounts.id', 'rated_usage.account_id')
      .select((eb) => [
        'accounts.kind',
        eb.fn.sum<string>('rated_usage.allowance_units').as('allowance'),
        eb.fn.sum<string>('rated_usage.charged_micros').as('charged'),
        eb.fn.sum<string>('rated_usage.debited_micros').as('debited'),
      ])
      .where('rated_usage.tenant_id', '=', first.demo.tenantId)
      .groupBy('accounts.kind')
      .execute();
    const of = (kind: string) => sums.find((s) => s.kind === kind)!;
    for (const kind of ['postpaid', 'prepaid', 'hybrid'])
      expect(BigInt(of(kind).allowance)).toBeGreaterThan(0n);
    expect(BigInt(of('postpaid').charged)).toBeGreaterThan(0n);
    expect(BigInt(of('postpaid').debited)).toBe(0n);
    expect(BigInt(of('prepaid').debited)).toBeGreaterThan(0n);
    expect(BigInt(of('prepaid').debited)).toBe(BigInt(of('prepaid').charged));
  });

  it("keeps Luis's prepaid balance above zero with his top-ups", async () => {
    expect(first.activity.topUps).toBeGreaterThanOrEqual(1);
    const luis = customer('luis.garcia@example.com');
    const main = await findMainBucket(first.database.db, first.demo.tenantId, luis.account.id);
    expect(main.balance).toBeGreaterThan(0n);
    const response = await app.inject({
      url: `/v1/accounts/${luis.account.id}/balance`,
      headers: adminKey(),
    });
    expect(response.statusCode).toBe(200);
    expect(Number(response.json().mainBalance)).toBeGreaterThan(0);
  });

  it('gives Anna a paid invoice and an open one due soon, both renderable as PDF', async () => {
    const anna = customer('anna.schmidt@example.com');
    const invoices = await first.database.db
      .selectFrom('invoices')
      .select(['id', 'status', 'issued_on', 'due_on', 'total_micros', 'paid_at'])
      .where('account_id', '=', anna.account.id)
      .orderBy('issued_on')
      .execute();
    // Cycles closing on 1 February, 1 March and 1 April.
    expect(invoices.map((i) => i.issued_on)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
    const open = invoices[invoices.length - 1]!;
    expect(open).toMatchObject({ status: 'finalized', paid_at: null, due_on: '2026-04-15' });
    for (const paid of invoices.slice(0, -1)) {
      expect(paid.status).toBe('paid');
      expect(paid.paid_at!.getTime()).toBeLessThan(NOW.getTime());
    }
    const payments = await first.database.db
      .selectFrom('payments')
      .select(['amount_micros', 'invoice_id', 'status'])
      .where('account_id', '=', anna.account.id)
      .execute();
    expect(payments).toEqual(
      invoices
        .slice(0, -1)
        .map((i) => ({ amount_micros: i.total_micros, invoice_id: i.id, status: 'succeeded' })),
    );
    for (const invoice of [invoices[0]!, open]) {
      const pdf = await app.inject({ url: `/v1/invoices/${invoice.id}/pdf`, headers: adminKey() });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const usageLines = await first.database.db
      .selectFrom('invoice_lines')
      .select('kind')
      .where('invoice_id', '=', open.id)
      .where('kind', '=', 'usage')
      .execute();
    expect(usageLines.length, 'the open invoice bills the usage of March').toBeGreaterThan(0);
  });

  it("bills Kiezfunk's cycles too, its latest invoice open within its 30 days", async () => {
    const kiezfunk = customer('billing@kiezfunk.example');
    const invoices = await first.database.db
      .selectFrom('invoices')
      .select(['status', 'issued_on', 'due_on'])
      .where('account_id', '=', kiezfunk.account.id)
      .orderBy('issued_on')
      .execute();
    expect(invoices.map((i) => i.issued_on)).toEqual(['2026-01-15', '2026-02-15', '2026-03-15']);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid', 'finalized']);
    expect(invoices[2]!.due_on).toBe('2026-04-14');
  });

  it("saves Anna's sandbox test card", async () => {
    expect(first.activity.savedCard).toBe(true);
    const anna = customer('anna.schmidt@example.com');
    const response = await app.inject({
      url: `/v1/accounts/${anna.account.id}/payment-methods`,
      headers: adminKey(),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      expect.objectContaining({ gateway: 'sandbox', brand: 'visa', last4: '4242', isDefault: true }),
    ]);
  });

  it('leaves a ledger that verifies and an audit chain that holds', async () => {
    const ledger = await verifyLedger(first.database.db, { tenantId: first.demo.tenantId });
    expect(ledger.problems).toEqual([]);
    expect(ledger.transactionsChecked).toBeGreaterThan(0);
    const audit = await verifyAuditChain(first.database.db);
    expect(audit.breaks).toEqual([]);
  });

  it('is deterministic: a second fresh database gets the same history', async () => {
    const second = await seedFreshDemo();
    try {
      expect(second.activity).toEqual(first.activity);
      expect(await fingerprint(second)).toEqual(await fingerprint(first));
    } finally {
      await second.database.close();
    }
  }, 120_000);
});
