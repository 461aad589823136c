import { type Kysely, sql } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { createPlan } from '../catalog/create-plan.js';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { saveUsageSource } from '../mediation/save-usage-source.js';
import { seedDemo } from '../seed/seed-demo.js';
import { benchUuid, insertLines, lineUuid, n } from './bench-seed-rows.js';
import { insertPostpaidAccounts } from './ingest-seed.js';

export interface BillRunSeedOptions {
  /** Postpaid accounts of one line each. */
  readonly accounts: number;
  /** Rated records per account in March 2026. */
  readonly usagePerAccount: number;
  /** Accounts per insert statement. */
  readonly chunk?: number;
}

export interface BillRunFixture {
  readonly tenantId: string;
  /** Rated records seeded, and the money they charge (micro-units of EUR). */
  readonly records: number;
  readonly chargedMicros: bigint;
}

const SEED_ACTOR: Actor = { type: 'system', id: 'bench' };
/** The lines start with March: a run as of April 1st bills one cycle of each. */
const LINES_START = '2026-03-01T00:00:00+01:00';
const LINE_KEY = 'b';
/** A record's price, cycled by its number: calls and messages of a month as mediation stores them. */
const PRICES_MICROS = [90_000, 120_000, 45_000, 250_000, 19_000] as const;

/**
 * An operator with `accounts` postpaid accounts of one line each on a 15.00 monthly plan, German
 * VAT, and a month of rated usage per line (calls to three destination groups and messages), seeded
 * set-based: the bill run reads what mediation would have stored.
 */
export async function seedBillRunData(
  db: Kysely<Database>,
  options: BillRunSeedOptions,
  now: Date,
): Promise<BillRunFixture> {
  const migrated = await migrateDatabase(db);
  if (migrated.error !== undefined) throw migrated.error;
  const demo = await seedDemo(db, now);
  if (demo === null) throw new Error('the bench database was not empty');
  const tenantId = demo.tenantId;
  const tariff = await db
    .selectFrom('tariff_versions')
    .select(['id', 'tariff_id'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const plan = await createPlan(
    db,
    tenantId,
    SEED_ACTOR,
    {
      code: 'bench-monthly',
      name: 'Mobile M',
      kind: 'base',
      recurringFee: '15.00',
      feePeriod: 'month',
      tariffId: tariff.tariff_id,
      effectiveFrom: '2026-01-01T00:00:00+01:00',
    },
    now,
  );
  if (!plan.ok) throw new Error(`the bench plan was rejected: ${JSON.stringify(plan)}`);
  const source = await saveUsageSource(db, tenantId, SEED_ACTOR, {
    name: 'bench-switch',
    profile: { format: 'jsonl' },
  });
  if (!source.ok) throw new Error(`the bench source was rejected: ${source.message}`);
  await db
    .insertInto('tax_rules')
    .values({
      tenant_id: tenantId,
      jurisdiction: 'DE',
      category: '*',
      version: 1,
      effective_from: new Date('2020-01-01T00:00:00Z'),
      effective_to: null,
      components: JSON.stringify([{ code: 'DE-VAT', name: 'USt', ratePercent: '19', compound: false }]),
    })
    .execute();
  const counter = await db
    .selectFrom('account_number_counters')
    .select('last_value')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const base = Number(counter.last_value);
  const chunk = options.chunk ?? 20_000;
  for (let lo = 1; lo <= options.accounts; lo += chunk) {
    const hi = Math.min(options.accounts, lo + chunk - 1);
    await insertPostpaidAccounts(db, { tenantId, base, lo, hi, at: now.toISOString() });
    await insertLines(db, {
      tenantId,
      planId: plan.plan.id,
      lo,
      hi,
      key: LINE_KEY,
      account: n,
      msisdn: sql`'+49171' || lpad(n::text, 7, '0')`,
      startsAt: LINES_START,
    });
    await sql`update customers set tax_region = 'DE', language = 'de' where id in (
      select ${benchUuid('c', n)} from generate_series(${lo}::int, ${hi}::int) as g(n))`.execute(db);
    await insertUsage(db, tenantId, source.source.id, tariff.id, lo, hi, options.usagePerAccount);
  }
  await db
    .updateTable('account_number_counters')
    .set({ last_value: BigInt(base + options.accounts) })
    .where('tenant_id', '=', tenantId)
    .execute();
  const records = options.accounts * options.usagePerAccount;
  let chargedMicros = 0n;
  for (let k = 1; k <= options.usagePerAccount; k++)
    chargedMicros += BigInt(PRICES_MICROS[k % PRICES_MICROS.length]!);
  return { tenantId, records, chargedMicros: chargedMicros * BigInt(options.accounts) };
}

/** Record k of line n: a call (or every fourth a message) in March in Berlin (before 31 March 22:00 UTC), to one of three destination groups. */
async function insertUsage(
  db: Kysely<Database>,
  tenantId: string,
  sourceId: string,
  tariffVersionId: string,
  lo: number,
  hi: number,
  perAccount: number,
): Promise<void> {
  if (perAccount === 0) return;
  const prices = sql.raw(`(array[${PRICES_MICROS.join(',')}]::int8[])[(k % ${PRICES_MICROS.length}) + 1]`);
  await sql`
    insert into rated_usage (tenant_id, account_id, subscription_id, source_id, record_key, entry, started_at, service,
      direction, subscriber, destination, unit, units, currency, list_micros, allowance_units, charged_micros,
      debited_micros, settlement, tariff_version_id, explanation)
    select ${tenantId}::uuid, ${benchUuid('a', n)}, ${lineUuid(LINE_KEY, n)}, ${sourceId}::uuid, 'r' || n || '-' || k,
      'charge', '2026-03-01T00:00:00+01:00'::timestamptz + ((n * 7919 + k * 104729) % 2671200) * interval '1 second',
      case when k % 4 = 0 then 'sms' else 'call' end, 'outgoing', '+49171' || lpad(n::text, 7, '0'),
      '+4930' || lpad((n * 31 + k)::text, 7, '0'), case when k % 4 = 0 then 'messages' else 'seconds' end,
      case when k % 4 = 0 then 1 else 30 + (n + k) % 600 end, 'EUR', ${prices}, 0, ${prices}, 0, 'accrued',
      ${tariffVersionId}::uuid,
      jsonb_build_object('destinationId', (array['DE_FIXED', 'DE_MOBILE', 'INTL_EU'])[(k % 3) + 1])
    from generate_series(${lo}::int, ${hi}::int) as g(n) cross join generate_series(1, ${perAccount}::int) as s(k)`.execute(
    db,
  );
}
