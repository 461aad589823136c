import type { TariffDocument } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { createPlan } from '../catalog/create-plan.js';
import { createTariff } from '../catalog/create-tariff.js';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { saveUsageSource } from '../mediation/save-usage-source.js';
import type { UsageSource } from '../mediation/usage-source-store.js';
import { seedDemo } from '../seed/seed-demo.js';
import { benchUuid, insertLines, lineUuid, n, SUBSCRIBER_MSISDN } from './bench-seed-rows.js';

export interface IngestSeedOptions {
  /** Postpaid accounts of one line each; line i has subscriberMsisdn(i). */
  readonly subscribers: number;
  /** The first this many lines are on the plan with a monthly call allowance. */
  readonly allowanceLines: number;
  readonly allowanceMinutes: number;
  /** The allowance's month, in the accounts' time zone: [from, to). */
  readonly allowanceFrom: string;
  readonly allowanceTo: string;
  /** The generated deck as a native tariff document, and when its first version activates. */
  readonly tariff: TariffDocument;
  readonly tariffActivatesAt: Date;
  /** The usage source's profile, as saveUsageSource takes it. */
  readonly sourceName: string;
  readonly sourceProfile: unknown;
  /** Rows per insert statement. */
  readonly chunk?: number;
}

/** What the ingestion run needs of the seeded data. */
export interface IngestFixture {
  readonly tenantId: string;
  readonly source: UsageSource;
}

const SEED_ACTOR: Actor = { type: 'system', id: 'bench' };
/** Plans and lines start before any generated call. */
const PLANS_FROM = '2026-01-01T00:00:00+01:00';
const CREDIT_LIMIT_MICROS = 500_000_000n;
/** The kind of the seeded lines in their ids (bench-seed-rows.ts): line n of account n. */
const LINE_KEY = 's';

/**
 * Migrates an empty database and seeds an operator for offline rating: the demo tenant (Europe/Berlin,
 * country code 49), the generated deck stored as a tariff through the catalog use case (checked and
 * compiled as an operator's upload would be), two postpaid plans on it (one with a monthly call
 * allowance), and `subscribers` postpaid accounts of one line each, inserted set-based (the use cases
 * would take minutes for 100,000): for each its customer, account, main money bucket and line; for
 * the lines of the allowance plan their allowance bucket and the grant transaction that fills it,
 * so the ledger explains every balance. Then the usage source the file is read as.
 */
export async function seedIngestData(
  db: Kysely<Database>,
  options: IngestSeedOptions,
  now: Date,
): Promise<IngestFixture> {
  const migrated = await migrateDatabase(db);
  if (migrated.error !== undefined) throw migrated.error;
  const demo = await seedDemo(db, now);
  if (demo === null) throw new Error('the bench database was not empty');
  const tenantId = demo.tenantId;
  const tariff = await createTariff(
    db,
    tenantId,
    SEED_ACTOR,
    {
      code: 'bench-international',
      name: 'Bench international retail',
      activatesAt: options.tariffActivatesAt,
      source: { format: 'native', document: options.tariff },
    },
    now,
  );
  if (!tariff.ok) throw new Error(`the bench tariff was rejected: ${JSON.stringify(tariff).slice(0, 2000)}`);
  const plain = await benchPlan(db, tenantId, tariff.tariff.id, 'bench-postpaid', 'Bench postpaid', [], now);
  const bundled = await benchPlan(
    db,
    tenantId,
    tariff.tariff.id,
    'bench-postpaid-bundle',
    'Bench postpaid with minutes',
    [{ service: 'voice', amount: `${options.allowanceMinutes}m`, category: 'call' }],
    now,
  );
  const counter = await db
    .selectFrom('account_number_counters')
    .select('last_value')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const base = Number(counter.last_value);
  const chunk = options.chunk ?? 25_000;
  for (let lo = 1; lo <= options.subscribers; lo += chunk) {
    const hi = Math.min(options.subscribers, lo + chunk - 1);
    await insertPostpaidAccounts(db, { tenantId, base, lo, hi, at: now.toISOString() });
    // Lines 1..allowanceLines are on the bundle; the rest on the plain plan.
    const split = Math.min(hi, Math.max(lo - 1, options.allowanceLines));
    const line = { tenantId, key: LINE_KEY, account: n, msisdn: SUBSCRIBER_MSISDN };
    if (split >= lo) await insertLines(db, { ...line, planId: bundled, lo, hi: split });
    if (hi > split) await insertLines(db, { ...line, planId: plain, lo: split + 1, hi });
    if (split >= lo)
      await insertAllowances(db, { tenantId, lo, hi: split, at: now.toISOString(), ...options });
  }
  await db
    .updateTable('account_number_counters')
    .set({ last_value: BigInt(base + options.subscribers) })
    .where('tenant_id', '=', tenantId)
    .execute();
  const saved = await saveUsageSource(db, tenantId, SEED_ACTOR, {
    name: options.sourceName,
    profile: options.sourceProfile,
  });
  if (!saved.ok) throw new Error(`the bench usage source was rejected: ${saved.message}`);
  return { tenantId, source: saved.source };
}

async function benchPlan(
  db: Kysely<Database>,
  tenantId: string,
  tariffId: string,
  code: string,
  name: string,
  allowances: { service: string; amount: string; category: string }[],
  now: Date,
): Promise<string> {
  const created = await createPlan(
    db,
    tenantId,
    SEED_ACTOR,
    {
      code,
      name,
      kind: 'base',
      recurringFee: '15.00',
      feePeriod: 'month',
      allowances,
      tariffId,
      effectiveFrom: PLANS_FROM,
    },
    now,
  );
  if (!created.ok) throw new Error(`the bench plan ${code} was rejected: ${JSON.stringify(created)}`);
  return created.plan.id;
}

/** Postpaid accounts lo..hi (EUR, Europe/Berlin, cycle day 1) with their customers and main buckets, set-based. */
export async function insertPostpaidAccounts(
  db: Kysely<Database>,
  p: { tenantId: string; base: number; lo: number; hi: number; at: string },
): Promise<void> {
  const series = sql`generate_series(${p.lo}::int, ${p.hi}::int) as g(n)`;
  const at = sql`${p.at}::timestamptz`;
  await sql`
    insert into customers (id, tenant_id, kind, display_name, given_name, family_name, language, status, created_at, updated_at)
    select ${benchUuid('c', n)}, ${p.tenantId}::uuid, 'person', 'Bench ' || n, 'Bench', n::text, 'en', 'active', ${at}, ${at}
    from ${series}`.execute(db);
  const number = sql`(${p.base}::int + n)::text`;
  await sql`
    insert into accounts (id, tenant_id, customer_id, account_number, kind, currency, time_zone,
      credit_limit_micros, bill_cycle_day, payment_terms_days, status, created_at, updated_at)
    select ${benchUuid('a', n)}, ${p.tenantId}::uuid, ${benchUuid('c', n)},
      'A-' || lpad(${number}, greatest(6, length(${number})), '0'), 'postpaid', 'EUR', 'Europe/Berlin',
      ${CREDIT_LIMIT_MICROS}::int8, 1, 14, 'active', ${at}, ${at}
    from ${series}`.execute(db);
  // Every account has its main money bucket (create-account adds it); a postpaid one stays at zero
  // until an invoice or a payment moves it.
  await sql`
    insert into balance_buckets (id, tenant_id, account_id, subscription_id, kind, unit, is_main, priority,
      label, valid_from, balance, reserved, created_at, updated_at)
    select ${benchUuid('b', n)}, ${p.tenantId}::uuid, ${benchUuid('a', n)}, null, 'money', 'EUR', true, 1000,
      'Main balance', ${at}, 0, 0, ${at}, ${at}
    from ${series}`.execute(db);
}

/** The month's allowance of lines lo..hi, for their own line and calls only, filled by a grant. */
async function insertAllowances(
  db: Kysely<Database>,
  p: {
    tenantId: string;
    lo: number;
    hi: number;
    at: string;
    allowanceMinutes: number;
    allowanceFrom: string;
    allowanceTo: string;
  },
): Promise<void> {
  const series = sql`generate_series(${p.lo}::int, ${p.hi}::int) as g(n)`;
  const at = sql`${p.at}::timestamptz`;
  const seconds = sql`${p.allowanceMinutes * 60}::int8`;
  await sql`
    insert into balance_buckets (id, tenant_id, account_id, subscription_id, kind, unit, service, is_main, priority,
      label, valid_from, valid_to, balance, reserved, created_at, updated_at)
    select ${benchUuid('ab', n)}, ${p.tenantId}::uuid, ${benchUuid('a', n)}, ${lineUuid(LINE_KEY, n)}, 'allowance',
      'seconds', 'call', false, 100, 'Monthly minutes', ${p.allowanceFrom}::timestamptz, ${p.allowanceTo}::timestamptz,
      ${seconds}, 0, ${at}, ${at}
    from ${series}`.execute(db);
  await sql`
    insert into ledger_transactions (id, tenant_id, account_id, kind, reference, description, created_at)
    select ${benchUuid('g', n)}, ${p.tenantId}::uuid, ${benchUuid('a', n)}, 'grant', null, 'Monthly minutes', ${at}
    from ${series}`.execute(db);
  await sql`
    insert into ledger_entries (tenant_id, account_id, transaction_id, bucket_id, book, unit, amount, created_at)
    select ${p.tenantId}::uuid, ${benchUuid('a', n)}, ${benchUuid('g', n)}, side.bucket, side.book, 'seconds', side.amount, ${at}
    from ${series}
    cross join lateral (values
      (${benchUuid('ab', n)}, 'account', ${seconds}),
      (null::uuid, 'allowance', -${seconds})) as side(bucket, book, amount)`.execute(db);
}
