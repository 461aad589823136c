import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { seedDemo } from '../seed/seed-demo.js';
import { benchUuid, insertLines, n, SUBSCRIBER_MSISDN } from './bench-seed-rows.js';

export interface ChargingSeedOptions {
  /** Prepaid accounts of one line each. */
  readonly subscribers: number;
  /** Lines of the one hot shared account. */
  readonly hotLines: number;
  readonly balanceMicros: bigint;
  readonly hotBalanceMicros: bigint;
  /** Rows per insert statement. */
  readonly chunk?: number;
}

/** What the load generator needs to know of the seeded data. */
export interface ChargingFixture {
  readonly tenantId: string;
  readonly adminKey: string;
  readonly planId: string;
  readonly subscribers: number;
  readonly hotLines: number;
  readonly hotAccountId: string;
}

/** The MSISDN of line j (0-based) of the hot shared account: +49171 and seven digits. */
export function hotLineMsisdn(j: number): string {
  return `+49171${String(j + 1).padStart(7, '0')}`;
}

/**
 * Migrates an empty database, seeds the demo operator, then adds `subscribers` prepaid accounts
 * with one `residential` line each and one hot account with `hotLines` lines, with set-based
 * inserts straight into the tables (the use cases would take minutes for 100,000): for each
 * account its customer, account (numbered after the demo's), main bucket with a balance, the
 * top-up ledger transaction and its two entries that explain the balance; for each line its
 * subscription, MSISDN and `activated` event. No audit entries: nothing reads them here.
 */
export async function seedChargingData(
  db: Kysely<Database>,
  options: ChargingSeedOptions,
  now: Date,
): Promise<ChargingFixture> {
  const migrated = await migrateDatabase(db);
  if (migrated.error !== undefined) throw migrated.error;
  const demo = await seedDemo(db, now);
  if (demo === null) throw new Error('the bench database was not empty');
  const tenantId = demo.tenantId;
  const plan = await db
    .selectFrom('plans')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', 'residential')
    .executeTakeFirstOrThrow();
  const counter = await db
    .selectFrom('account_number_counters')
    .select('last_value')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const base = Number(counter.last_value);
  const at = now.toISOString();
  const chunk = options.chunk ?? 25_000;
  // Accounts 1..subscribers hold one line each; account subscribers + 1 is the hot one.
  const hot = options.subscribers + 1;
  for (let lo = 1; lo <= hot; lo += chunk) {
    const hi = Math.min(hot, lo + chunk - 1);
    await insertAccounts(db, { tenantId, base, lo, hi, hot, at, ...options });
  }
  // Lines: 1..subscribers of their own accounts, then the hot account's.
  for (let lo = 1; lo <= options.subscribers; lo += chunk) {
    const hi = Math.min(options.subscribers, lo + chunk - 1);
    await insertLines(db, {
      tenantId,
      planId: plan.id,
      lo,
      hi,
      key: 's',
      account: sql`n`,
      msisdn: SUBSCRIBER_MSISDN,
    });
  }
  for (let lo = 1; lo <= options.hotLines; lo += chunk) {
    const hi = Math.min(options.hotLines, lo + chunk - 1);
    await insertLines(db, {
      tenantId,
      planId: plan.id,
      lo,
      hi,
      key: 'h',
      account: sql`${hot}::int`,
      msisdn: sql`'+49171' || lpad(n::text, 7, '0')`,
    });
  }
  await db
    .updateTable('account_number_counters')
    .set({ last_value: BigInt(base + hot) })
    .where('tenant_id', '=', tenantId)
    .execute();
  await sql`analyze`.execute(db);
  const hotAccount = await sql<{ id: string }>`select ${benchUuid('a', sql`${hot}::int`)} as id`.execute(db);
  return {
    tenantId,
    adminKey: demo.adminKey,
    planId: plan.id,
    subscribers: options.subscribers,
    hotLines: options.hotLines,
    hotAccountId: hotAccount.rows[0]!.id,
  };
}

async function insertAccounts(
  db: Kysely<Database>,
  p: {
    tenantId: string;
    base: number;
    lo: number;
    hi: number;
    hot: number;
    at: string;
    balanceMicros: bigint;
    hotBalanceMicros: bigint;
  },
): Promise<void> {
  const series = sql`generate_series(${p.lo}::int, ${p.hi}::int) as g(n)`;
  const at = sql`${p.at}::timestamptz`;
  const balance = sql`(case when n = ${p.hot}::int then ${p.hotBalanceMicros}::int8 else ${p.balanceMicros}::int8 end)`;
  await sql`
    insert into customers (id, tenant_id, kind, display_name, given_name, family_name, language, status, created_at, updated_at)
    select ${benchUuid('c', n)}, ${p.tenantId}::uuid, 'person', 'Bench ' || n, 'Bench', n::text, 'en', 'active', ${at}, ${at}
    from ${series}`.execute(db);
  const number = sql`(${p.base}::int + n)::text`;
  await sql`
    insert into accounts (id, tenant_id, customer_id, account_number, kind, currency, time_zone,
      credit_limit_micros, bill_cycle_day, payment_terms_days, status, created_at, updated_at)
    select ${benchUuid('a', n)}, ${p.tenantId}::uuid, ${benchUuid('c', n)},
      'A-' || lpad(${number}, greatest(6, length(${number})), '0'), 'prepaid', 'EUR', 'Europe/Berlin',
      null, 1, 14, 'active', ${at}, ${at}
    from ${series}`.execute(db);
  await sql`
    insert into balance_buckets (id, tenant_id, account_id, subscription_id, kind, unit, is_main, priority,
      label, valid_from, balance, reserved, created_at, updated_at)
    select ${benchUuid('b', n)}, ${p.tenantId}::uuid, ${benchUuid('a', n)}, null, 'money', 'EUR', true, 1000,
      'Main balance', ${at}, ${balance}, 0, ${at}, ${at}
    from ${series}`.execute(db);
  await sql`
    insert into ledger_transactions (id, tenant_id, account_id, kind, reference, description, created_at)
    select ${benchUuid('t', n)}, ${p.tenantId}::uuid, ${benchUuid('a', n)}, 'topup', null, 'bench seed top-up', ${at}
    from ${series}`.execute(db);
  await sql`
    insert into ledger_entries (tenant_id, account_id, transaction_id, bucket_id, book, unit, amount, created_at)
    select ${p.tenantId}::uuid, ${benchUuid('a', n)}, ${benchUuid('t', n)}, side.bucket, side.book, 'EUR', side.amount, ${at}
    from ${series}
    cross join lateral (values
      (${benchUuid('b', n)}, 'account', ${balance}),
      (null::uuid, 'topup', -${balance})) as side(bucket, book, amount)`.execute(db);
}
