import { sql } from 'kysely';
import { changeSubscription } from '../../src/accounts/change-subscription.js';
import { createAccount } from '../../src/accounts/create-account.js';
import { createSubscription } from '../../src/accounts/create-subscription.js';
import type { SubscriptionChangeBody } from '../../src/accounts/subscription-schemas.js';
import { runBillRunJob } from '../../src/billing/bill-run-jobs.js';
import { renewAllowances } from '../../src/billing/renew-allowances.js';
import { type BillRunProgress, readBillRun, startBillRun } from '../../src/billing/start-bill-run.js';
import { createPlan } from '../../src/catalog/create-plan.js';
import type { CreatePlanBody } from '../../src/catalog/plan-schemas.js';
import { createCustomer } from '../../src/customers/create-customer.js';
import {
  type MediationFixture,
  openMediationFixture,
  SWITCH_HEADER,
  TEST_ACTOR,
} from '../mediation/mediation-fixture.js';

export interface BillingFixture extends MediationFixture {
  readonly tariffId: string;
  plan(code: string, fields: Partial<CreatePlanBody> & { recurringFee: string }): Promise<string>;
  /** A postpaid customer and account (EUR, Europe/Berlin, cycle day 1, language de, tax region DE). */
  account(fields?: {
    language?: string;
    taxRegion?: string;
    taxExemptions?: { tax: string; certificate: string }[];
    billCycleDay?: number;
    currency?: string;
  }): Promise<string>;
  line(accountId: string, msisdn: string, planId: string, startsAt: string): Promise<string>;
  change(subscriptionId: string, change: SubscriptionChangeBody): Promise<void>;
  taxRule(
    jurisdiction: string,
    category: string,
    components: { code: string; name: string; ratePercent: string; compound?: boolean }[],
    effectiveFrom?: string,
  ): Promise<void>;
  /** Ingests calls: [msisdn, callee, ISO start, seconds]. */
  calls(name: string, calls: readonly (readonly [string, string, string, number])[]): Promise<void>;
  /** Starts a run as of `asOf` and works its jobs inline; returns its progress. */
  billRun(asOf: string, options?: { dryRun?: boolean; finalize?: boolean }): Promise<BillRunProgress>;
  invoices(accountId: string): Promise<InvoiceSummary[]>;
  /** Grants the allowances of the cycle holding `asOf`. */
  renew(asOf: string): Promise<number>;
  discount(
    accountId: string,
    fields: {
      name: string;
      kind: 'percent' | 'fixed';
      percent?: string;
      amountMicros?: bigint;
      target: 'invoice' | 'plan' | 'service' | 'subscription';
      targetId?: string;
      cycles?: number;
      startsAt?: string;
    },
  ): Promise<string>;
  fxRate(from: string, to: string, date: string, rate: string): Promise<void>;
}

export interface InvoiceSummary {
  readonly id: string;
  readonly status: string;
  readonly number: string | null;
  readonly total: string;
  readonly net: string;
  readonly tax: string;
  readonly lines: readonly {
    kind: string;
    label: string;
    amount: string;
    tax: string;
    from: number | null;
    to: number | null;
  }[];
}

/** Micro-units as a decimal with two places: the way the tests state amounts. */
export function eur(micros: bigint | string): string {
  const value = BigInt(micros);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const cents = abs / 10_000n;
  return `${sign}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

export async function openBillingFixture(): Promise<BillingFixture> {
  const base = await openMediationFixture();
  const db = base.database.db;
  const tenantId = base.tenantId;
  const now = () => base.clock.now;
  const tariff = await db
    .selectFrom('tariffs')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  let counter = 0;
  const fixture: BillingFixture = {
    ...base,
    tariffId: tariff.id,
    plan: async (code, fields) => {
      const created = await createPlan(
        db,
        tenantId,
        TEST_ACTOR,
        {
          code,
          name: fields.name ?? code,
          kind: fields.kind ?? 'base',
          feePeriod: fields.feePeriod ?? 'month',
          tariffId: tariff.id,
          effectiveFrom: '2026-01-01T00:00:00+01:00',
          ...fields,
        } as CreatePlanBody,
        new Date('2025-12-01T00:00:00Z'),
      );
      if (!created.ok) throw new Error(`plan ${code}: ${JSON.stringify(created)}`);
      return created.plan.id;
    },
    account: async (fields = {}) => {
      counter++;
      const customer = await createCustomer(
        db,
        tenantId,
        TEST_ACTOR,
        {
          kind: 'person',
          givenName: 'Jürgen',
          familyName: `Müller ${counter}`,
          language: fields.language ?? 'de',
          taxRegion: fields.taxRegion ?? 'DE',
          taxExemptions: fields.taxExemptions ?? [],
        },
        now(),
      );
      if (!customer.ok) throw new Error(JSON.stringify(customer));
      const account = await createAccount(
        db,
        tenantId,
        TEST_ACTOR,
        {
          customerId: customer.customer.id,
          kind: 'postpaid',
          creditLimit: null,
          billCycleDay: fields.billCycleDay ?? 1,
          timeZone: 'Europe/Berlin',
          currency: fields.currency ?? 'EUR',
        },
        now(),
      );
      if (!account.ok) throw new Error(JSON.stringify(account));
      return account.account.id;
    },
    line: async (accountId, msisdn, planId, startsAt) => {
      const created = await createSubscription(
        db,
        tenantId,
        TEST_ACTOR,
        accountId,
        { identifiers: [{ kind: 'msisdn', value: msisdn }], planId, startsAt },
        new Date(startsAt),
      );
      if (!created.ok) throw new Error(JSON.stringify(created));
      return created.subscription.id;
    },
    change: async (subscriptionId, change) => {
      const at = change.effectiveAt === undefined ? now() : new Date(change.effectiveAt);
      const changed = await changeSubscription(db, tenantId, TEST_ACTOR, subscriptionId, change, at);
      if (!changed.ok) throw new Error(JSON.stringify(changed));
    },
    taxRule: async (jurisdiction, category, components, effectiveFrom = '2020-01-01T00:00:00Z') => {
      const last = await db
        .selectFrom('tax_rules')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('tenant_id', '=', tenantId)
        .where('jurisdiction', '=', jurisdiction)
        .where('category', '=', category)
        .executeTakeFirst();
      await db
        .insertInto('tax_rules')
        .values({
          tenant_id: tenantId,
          jurisdiction,
          category,
          version: Number(last?.v ?? 0) + 1,
          effective_from: new Date(effectiveFrom),
          effective_to: null,
          components: JSON.stringify(components.map((c) => ({ compound: false, ...c }))),
        })
        .execute();
    },
    calls: async (name, calls) => {
      const text = [
        SWITCH_HEADER,
        ...calls.map(
          ([msisdn, callee, at, seconds], index) =>
            `${name}-${index},${msisdn},${callee},call,${at},${seconds},`,
        ),
      ].join('\n');
      const outcome = await base.ingest(await base.file(`${name}.csv`, `${text}\n`));
      if (!outcome.ok || Number(outcome.run.counts.loaded) !== calls.length)
        throw new Error(
          `calls ${name}: ${JSON.stringify(outcome, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`,
        );
    },
    billRun: async (asOf, options = {}) => {
      const started = await startBillRun(
        db,
        tenantId,
        TEST_ACTOR,
        { asOf: new Date(asOf), dryRun: options.dryRun ?? false, finalize: options.finalize ?? true },
        new Date(asOf),
      );
      const pending = await db
        .selectFrom('bill_run_accounts')
        .select('account_id')
        .where('bill_run_id', '=', started.runId)
        .execute();
      await runBillRunJob(
        db,
        { runId: started.runId, tenantId, accountIds: pending.map((p) => p.account_id) },
        new Date(asOf),
      );
      const progress = await readBillRun(db, tenantId, started.runId);
      if (progress === undefined) throw new Error('run vanished');
      return progress;
    },
    invoices: async (accountId) => {
      const invoices = await db
        .selectFrom('invoices')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('period_from_day')
        .orderBy('created_at')
        .execute();
      const lines = await db
        .selectFrom('invoice_lines')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('invoice_id')
        .orderBy('position')
        .execute();
      return invoices.map((invoice) => ({
        id: invoice.id,
        status: invoice.status,
        number: invoice.number,
        total: eur(invoice.total_micros),
        net: eur(invoice.net_micros),
        tax: eur(invoice.tax_micros),
        lines: lines
          .filter((l) => l.invoice_id === invoice.id)
          .map((l) => ({
            kind: l.kind,
            label: l.label,
            amount: eur(l.amount_micros),
            tax: eur(l.tax_micros),
            from: l.from_day,
            to: l.to_day,
          })),
      }));
    },
    renew: (asOf) => renewAllowances(db, tenantId, new Date(asOf), new Date(asOf)),
    discount: async (accountId, fields) => {
      const row = await db
        .insertInto('discounts')
        .values({
          tenant_id: tenantId,
          account_id: accountId,
          name: fields.name,
          kind: fields.kind,
          percent: fields.percent ?? null,
          amount_micros: fields.amountMicros ?? null,
          currency: fields.kind === 'fixed' ? 'EUR' : null,
          target: fields.target,
          target_id: fields.targetId ?? null,
          cycles: fields.cycles ?? null,
          starts_at: new Date(fields.startsAt ?? '2026-01-01T00:00:00Z'),
          ends_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    fxRate: async (from, to, date, rate) => {
      await db
        .insertInto('fx_rates')
        .values({
          tenant_id: tenantId,
          from_currency: from,
          to_currency: to,
          rate_date: date,
          rate,
          source: 'ECB reference rate',
        })
        .execute();
    },
  };
  void sql;
  return fixture;
}
