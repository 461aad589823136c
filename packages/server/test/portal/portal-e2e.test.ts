import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-users.js';
import { REPO_ROOT } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type PortalServer, startPortalServer } from './portal-server.js';

/** Screenshots of the main screens, kept as test artifacts (the README names this folder). */
export const SCREENSHOTS = resolve(REPO_ROOT, 'test-artifacts/screenshots');
const CHROMIUM = process.env.TOLLGATE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The web app end to end: a real `tollgate serve` with the demo operator and its activity, driven
 * by Debian's Chromium through playwright-core. A customer signs in, reads usage and a charge's
 * explanation, downloads an invoice, pays it, changes plan and sets a cap; a staff member finds
 * the customer and issues a credit note. Each step is checked through the API as well.
 */
describe(`web app end to end (${DATABASE_LABEL})`, () => {
  let server: PortalServer;
  let browser: Browser;
  let customer: BrowserContext;
  let page: Page;

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const shot = (name: string, target: Page = page) =>
    target.screenshot({ path: join(SCREENSHOTS, `${DATABASE_LABEL}-${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startPortalServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    customer = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    customer.setDefaultTimeout(20_000);
    page = await customer.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(target: Page, email: string): Promise<void> {
    await target.goto(`${server.url}/?operator=demo`);
    await target.getByLabel('Operator ID').fill('demo');
    await target.getByLabel('E-mail address').fill(email);
    await target.getByLabel('Password').fill(DEMO_PASSWORD);
    await target.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs a customer in to the overview', async () => {
    await signIn(page, 'anna.schmidt@example.com');
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('progressbar').first().waitFor();
    await shot('portal-overview');
  });

  it('shows usage and explains a charge', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL(/\/portal\/usage/);
    const firstCharge = page.locator('a[href*="/portal/usage/"]').first();
    await firstCharge.waitFor();
    await shot('portal-usage');
    await firstCharge.click();
    await page.waitForURL(/\/portal\/usage\/\d+$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await shot('portal-charge-explanation');
  });

  let openInvoiceId: string;

  it('downloads the open invoice as PDF', async () => {
    const account = await annaAccount();
    const open = await api<{ items: { id: string; status: string }[] }>(
      `/v1/invoices?accountId=${account.id}&status=finalized&kind=invoice`,
    );
    openInvoiceId = open.items[0]!.id;
    await page.getByRole('navigation').getByRole('link', { name: 'Invoices' }).click();
    await page.waitForURL(/\/portal\/invoices$/);
    const invoiceLink = page.locator(`a[href$="/portal/invoices/${openInvoiceId}"]`).first();
    await invoiceLink.waitFor();
    await shot('portal-invoices');
    await invoiceLink.click();
    await page.waitForURL(new RegExp(`/portal/invoices/${openInvoiceId}$`));
    const download = page.getByRole('link', { name: 'Download PDF' });
    const href = await download.getAttribute('href');
    expect(href).toContain(`/v1/invoices/${openInvoiceId}/pdf`);
    const pdf = await page.request.get(new URL(href!, server.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shot('portal-invoice');
  });

  it('pays the open invoice with the saved card', async () => {
    await page
      .getByRole('button', { name: 'Pay now' })
      .or(page.getByRole('link', { name: 'Pay now' }))
      .click();
    await page.waitForURL(/\/portal\/payments/);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /paid|success|received/i })
      .first()
      .waitFor();
    await shot('portal-payment');
    const after = await api<{ status: string }>(`/v1/invoices/${openInvoiceId}`);
    expect(after.status).toBe('paid');
  });

  it('changes plan after seeing the proration', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Plan' }).click();
    await page.waitForURL(/\/portal\/plan$/);
    await page.getByRole('button', { name: 'Change plan' }).first().waitFor();
    await shot('portal-plans');
    const plans = await api<{ items: { id: string; code: string }[] }>('/v1/plans');
    const business = plans.items.find((plan) => plan.code === 'business')!;
    // Each plan's button is described by its column's heading.
    const heading = await page.getByRole('columnheader', { name: 'Business' }).first().getAttribute('id');
    await page.locator(`button[aria-describedby="${heading}"]`).first().click();
    await page.getByRole('button', { name: 'Confirm change' }).waitFor();
    await shot('portal-plan-preview');
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await page.getByRole('status').first().waitFor();
    const lines = await api<{ items: { planId: string | null }[] }>(
      `/v1/subscriptions?accountId=${(await annaAccount()).id}`,
    );
    expect(lines.items.map((line) => line.planId)).toContain(business.id);
  });

  it('sets a spending cap on a line', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/portal\/settings$/);
    await page.getByLabel('Spending cap', { exact: true }).first().fill('25.00');
    await page.getByRole('button', { name: 'Save cap' }).first().click();
    await page.getByRole('status').first().waitFor();
    await shot('portal-settings');
    const lines = await api<{ items: { id: string }[] }>(
      `/v1/subscriptions?accountId=${(await annaAccount()).id}`,
    );
    const caps = await Promise.all(
      lines.items.map((line) =>
        fetch(`${server.url}/v1/subscriptions/${line.id}/spending-cap`, {
          headers: { authorization: `Bearer ${server.adminKey}` },
        }).then(async (r) => (r.ok ? ((await r.json()) as { limit: string }) : null)),
      ),
    );
    expect(caps.some((cap) => cap?.limit.startsWith('25') === true)).toBe(true);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('progressbar').first().waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    await shot('portal-overview-phone');
    expect(overflow as number).toBeLessThanOrEqual(0);
  });

  it('lets a staff member find the customer and issue a credit note', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    staff.setDefaultTimeout(20_000);
    const console = await staff.newPage();
    await signIn(console, 'operator@demo.example'); // operators act on bills; admins manage keys and users
    await console.waitForURL(/\/console$/);
    await console.getByLabel('Search customers').fill('Schmidt');
    const hit = console
      .locator('a[href*="/console/customers/"]')
      .filter({ hasText: /Schmidt/ })
      .first();
    await hit.waitFor();
    await shot('console-search', console);
    await hit.click();
    await console.waitForURL(/\/console\/customers\/[0-9a-f-]{36}$/);
    await console.getByRole('heading', { level: 1 }).waitFor();
    await shot('console-customer', console);
    const creditNotes = async () =>
      (await api<{ items: unknown[] }>(`/v1/invoices?accountId=${(await annaAccount()).id}&kind=credit_note`))
        .items.length;
    const notesBefore = await creditNotes();
    await console.getByRole('tab', { name: 'Invoices' }).click();
    await console.getByRole('button', { name: 'Issue credit note' }).first().click();
    await console.getByLabel('Amount').fill('5.00');
    await console.getByLabel('Reason').fill('Goodwill for a dropped call');
    await console.getByRole('button', { name: 'Issue', exact: true }).click();
    await console
      .getByRole('status')
      .filter({ hasText: /credit note/i })
      .first()
      .waitFor();
    await shot('console-credit-note', console);
    expect(await creditNotes()).toBe(notesBefore + 1);
    await staff.close();
  });

  it('shows a business customer the plan that would have cost less', async () => {
    const business = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    business.setDefaultTimeout(20_000);
    const portal = await business.newPage();
    await signIn(portal, 'billing@kiezfunk.example');
    await portal.waitForURL(/\/portal$/);
    await portal.getByRole('navigation').getByRole('link', { name: 'Plan' }).click();
    const card = portal.getByRole('region', { name: /A plan that would have cost you less/ }).first();
    const sentence = card.getByText(/You would have paid .+ less per (month|bill cycle) on /);
    await sentence.waitFor();
    await shot('portal-plan-recommendation', portal);
    // The figure on the card is the API's own saving for the line's best option.
    const customers = await api<{ items: { id: string; email: string | null }[] }>('/v1/customers?limit=100');
    const kiezfunk = customers.items.find((c) => c.email === 'billing@kiezfunk.example')!;
    const accounts = await api<{ items: { id: string }[] }>(`/v1/accounts?customerId=${kiezfunk.id}`);
    const lines = await api<{ items: { id: string }[] }>(
      `/v1/subscriptions?accountId=${accounts.items[0]!.id}`,
    );
    const savings: string[] = [];
    for (const line of lines.items) {
      const advice = await api<{ options: { rank: number; savingPerCycle: string }[] }>(
        `/v1/subscriptions/${line.id}/plan-recommendations?cycles=3`,
      );
      const best = advice.options.find((o) => o.rank === 1)!;
      if (best.savingPerCycle.startsWith('-') || Number(best.savingPerCycle) === 0) continue;
      savings.push(best.savingPerCycle);
    }
    expect(savings.length).toBeGreaterThan(0);
    const text = (await sentence.first().textContent()) ?? '';
    expect(savings.some((saving) => text.includes(saving))).toBe(true);
    await business.close();
  });

  it('shows staff the revenue report as a chart and a table, and the fraud rules', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    staff.setDefaultTimeout(20_000);
    const console = await staff.newPage();
    await signIn(console, 'support@demo.example');
    await console.waitForURL(/\/console$/);
    await console.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    await console.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await console.getByLabel('Report', { exact: true }).selectOption('revenue');
    await console.getByRole('button', { name: 'Show report' }).click();
    const report = await api<{ title: string; rows: Record<string, string | null>[] }>('/v1/reports/revenue');
    expect(report.rows.length).toBeGreaterThan(0);
    await console.getByRole('img', { name: new RegExp(`^${report.title}`) }).waitFor();
    const table = console.getByRole('table', { name: report.title });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(report.rows.length);
    await shot('console-report-revenue', console);
    await console.getByRole('navigation').getByRole('link', { name: 'Fraud' }).click();
    await console.getByRole('tab', { name: 'Rules' }).click();
    await console.getByRole('table', { name: 'Fraud rules' }).waitFor();
    await shot('console-fraud-rules', console);
    await staff.close();
  });

  async function annaAccount(): Promise<{ id: string }> {
    const customers = await api<{ items: { id: string; email: string | null }[] }>('/v1/customers?limit=100');
    const anna = customers.items.find((c) => c.email === 'anna.schmidt@example.com')!;
    const accounts = await api<{ items: { id: string }[] }>(`/v1/accounts?customerId=${anna.id}`);
    return accounts.items[0]!;
  }
}, 300_000);
