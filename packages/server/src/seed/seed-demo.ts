import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import type { Account } from '../accounts/account-schemas.js';
import { createAccount } from '../accounts/create-account.js';
import { createSubscription } from '../accounts/create-subscription.js';
import type { Actor } from '../audit/record-audit-entry.js';
import { issueApiKey } from '../auth/api-keys.js';
import { createPlan } from '../catalog/create-plan.js';
import { createTariff } from '../catalog/create-tariff.js';
import type { CreatePlanBody } from '../catalog/plan-schemas.js';
import { createCustomer } from '../customers/create-customer.js';
import type { Database } from '../db/database-schema.js';
import type { SetDunningPolicyBody } from '../dunning/dunning-policy-schemas.js';
import { setDunningPolicy } from '../dunning/set-dunning-policy.js';
import { DEMO_TARIFF_PATH } from './demo-tariff-path.js';

export interface DemoSeed {
  readonly tenantId: string;
  readonly tenantSlug: string;
  /** The demo admin's API key, shown once at first start. */
  readonly adminKey: string;
  /** The demo customers, in the order created, each with its one account and its lines. */
  readonly customers: readonly DemoSeedCustomer[];
}

/** A demo customer as created, for what builds on the demo (its activity, tests). */
export interface DemoSeedCustomer {
  readonly customerId: string;
  readonly email: string;
  readonly account: Account;
  readonly lines: readonly {
    readonly subscriptionId: string;
    /** The line's MSISDN as stored: E.164 with its plus. */
    readonly msisdn: string;
    /** When the line started, ISO 8601. */
    readonly startsAt: string;
  }[];
}

export const DEMO_TENANT_SLUG = 'demo';

const DEMO_PLANS: readonly CreatePlanBody[] = [
  {
    code: 'residential',
    name: 'Residential',
    kind: 'base',
    recurringFee: '9.99',
    feePeriod: 'month',
    allowances: [
      { service: 'voice', amount: '300m' },
      { service: 'sms', amount: '100' },
      { service: 'data', amount: '5GB' },
    ],
  },
  {
    code: 'business',
    name: 'Business',
    kind: 'base',
    recurringFee: '29.00',
    feePeriod: 'month',
    allowances: [{ service: 'voice', amount: '1000m' }],
  },
];

const DEMO_CUSTOMERS = [
  {
    customer: {
      kind: 'person',
      givenName: 'Anna',
      familyName: 'Schmidt',
      email: 'anna.schmidt@example.com',
      phone: '+4930555123',
    },
    account: { kind: 'postpaid', creditLimit: '150.00', billCycleDay: 1 },
    lines: [
      { msisdn: '+4915112345678', plan: 'residential' },
      { msisdn: '+4915112345679', plan: 'residential' },
    ],
  },
  {
    customer: {
      kind: 'person',
      givenName: 'Luis',
      familyName: 'García',
      email: 'luis.garcia@example.com',
      language: 'es',
    },
    account: { kind: 'prepaid' },
    lines: [{ msisdn: '+4917698765432', plan: 'residential' }],
  },
  {
    customer: {
      kind: 'business',
      companyName: 'Kiezfunk GmbH',
      email: 'billing@kiezfunk.example',
      taxRegion: 'DE',
    },
    account: { kind: 'hybrid', creditLimit: '2000.00', billCycleDay: 15, paymentTermsDays: 30 },
    lines: [{ msisdn: '030 2345678', plan: 'business' }],
  },
] as const;
const SEED_ACTOR: Actor = { type: 'system', id: 'seed' };

/**
 * Creates the demo operator on an empty database: a German VoIP and mobile operator with an admin
 * API key, the demo tariff, two plans, and three customers with accounts and lines. Returns null when any tenant exists already (seeding runs once).
 */
export async function seedDemo(db: Kysely<Database>, now: Date): Promise<DemoSeed | null> {
  const existing = await db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return null;
  const tenant = await db
    .insertInto('tenants')
    .values({
      name: 'Demo Telecom',
      slug: DEMO_TENANT_SLUG,
      parent_tenant_id: null,
      default_currency: 'EUR',
      time_zone: 'Europe/Berlin',
      language: 'en',
      country_code: '49',
      international_prefix: '00',
      trunk_prefix: '0',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const admin = await issueApiKey(db, tenant.id, 'demo admin', 'admin');
  const tariff = await createTariff(
    db,
    tenant.id,
    SEED_ACTOR,
    {
      code: 'demo-retail',
      name: 'Demo retail 2026',
      activatesAt: new Date('2026-01-01T00:00:00+01:00'),
      source: { format: 'native', document: parseYaml(await readFile(DEMO_TARIFF_PATH, 'utf8')) },
    },
    now,
  );
  if (!tariff.ok) throw new Error(`demo seed: tariff rejected: ${JSON.stringify(tariff)}`);
  const plans = new Map<string, string>();
  for (const plan of DEMO_PLANS) {
    const created = await createPlan(
      db,
      tenant.id,
      SEED_ACTOR,
      { ...plan, tariffId: tariff.tariff.id, effectiveFrom: '2026-01-01T00:00:00+01:00' },
      now,
    );
    if (!created.ok) throw new Error(`demo seed: plan ${plan.code} rejected: ${JSON.stringify(created)}`);
    plans.set(plan.code, created.plan.id);
  }
  const customers: DemoSeedCustomer[] = [];
  for (const demo of DEMO_CUSTOMERS) {
    const customer = await createCustomer(db, tenant.id, SEED_ACTOR, demo.customer, now);
    if (!customer.ok) throw new Error(`demo seed: ${customer.message}`);
    const account = await createAccount(
      db,
      tenant.id,
      SEED_ACTOR,
      { customerId: customer.customer.id, ...demo.account },
      now,
    );
    if (!account.ok) throw new Error(`demo seed: account rejected: ${JSON.stringify(account)}`);
    const lines: DemoSeedCustomer['lines'][number][] = [];
    for (const line of demo.lines) {
      const subscription = await createSubscription(
        db,
        tenant.id,
        SEED_ACTOR,
        account.account.id,
        {
          identifiers: [{ kind: 'msisdn', value: line.msisdn }],
          planId: plans.get(line.plan)!,
          startsAt: '2026-01-01T00:00:00+01:00',
        },
        now,
      );
      if (!subscription.ok)
        throw new Error(`demo seed: line ${line.msisdn} rejected: ${JSON.stringify(subscription)}`);
      const msisdn = subscription.subscription.identifiers.find((i) => i.kind === 'msisdn');
      lines.push({
        subscriptionId: subscription.subscription.id,
        msisdn: msisdn?.value ?? line.msisdn,
        startsAt: subscription.subscription.startsAt,
      });
    }
    customers.push({
      customerId: customer.customer.id,
      email: demo.customer.email,
      account: account.account,
      lines,
    });
  }
  const dunning = await setDunningPolicy(db, tenant.id, SEED_ACTOR, 'default', DEMO_DUNNING_POLICY, now);
  if (!dunning.ok) throw new Error(`demo seed: dunning policy rejected: ${dunning.message}`);
  return { tenantId: tenant.id, tenantSlug: DEMO_TENANT_SLUG, adminKey: admin.key, customers };
}

/**
 * The demo's dunning: reminders three days before and on the due date, card retries after one
 * and four days, a 5.00 late fee after a week, suspension after two weeks, then termination and
 * write-off.
 */
const DEMO_DUNNING_POLICY: SetDunningPolicyBody = {
  name: 'Standard',
  graceDays: 14,
  steps: [
    { day: -3, action: 'reminder' },
    { day: 0, action: 'reminder' },
    { day: 1, action: 'retry' },
    { day: 4, action: 'retry' },
    { day: 7, action: 'late_fee', feeMicros: '5000000' },
    { day: 14, action: 'suspend', notify: true },
    { day: 60, action: 'terminate', notify: true },
    { day: 90, action: 'write_off' },
  ],
};
