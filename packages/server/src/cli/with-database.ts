import type { Kysely } from 'kysely';
import { loadConfig } from '../config/load-config.js';
import type { DatabaseHandle } from '../db/create-database.js';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';

/**
 * Runs a command's work on the configured (and migrated) database and sets its exit code. The
 * code is set after closing: closing PGlite (an Emscripten runtime) resets process.exitCode.
 */
export async function withDatabase(
  work: (db: Kysely<Database>, handle: DatabaseHandle) => Promise<number>,
): Promise<void> {
  const loaded = await loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(`invalid configuration: ${problem}`);
    process.exitCode = ExitCode.usage;
    return;
  }
  const database = await openConfiguredDatabase(loaded.config);
  let exitCode: number = ExitCode.failure;
  try {
    const migrated = await migrateDatabase(database.db);
    if (migrated.error !== undefined) throw migrated.error;
    exitCode = await work(database.db, database);
  } finally {
    await database.close();
    process.exitCode = exitCode;
  }
}

/**
 * The tenant a command acts for: the one with `slug`, or without it the only operator (top-level
 * tenant) in the database; a string says why there is none.
 */
export async function findCliTenant(
  db: Kysely<Database>,
  slug: string | undefined,
): Promise<{ id: string; slug: string } | string> {
  let query = db.selectFrom('tenants').select(['id', 'slug']);
  query = slug === undefined ? query.where('parent_tenant_id', 'is', null) : query.where('slug', '=', slug);
  const tenants = await query.limit(2).execute();
  const [tenant] = tenants;
  if (tenant !== undefined && tenants.length === 1) return tenant;
  if (slug !== undefined) return `no tenant with slug "${slug}"`;
  return tenant === undefined
    ? 'the database has no tenant yet (run `tollgate serve` once to seed one)'
    : 'the database has several operators; name one with --tenant <slug>';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An account of the tenant by its id or its account number (A-000123). */
export async function findCliAccount(
  db: Kysely<Database>,
  tenantId: string,
  reference: string,
): Promise<{ id: string; account_number: string; currency: string } | undefined> {
  return db
    .selectFrom('accounts')
    .select(['id', 'account_number', 'currency'])
    .where('tenant_id', '=', tenantId)
    .where(UUID.test(reference) ? 'id' : 'account_number', '=', reference)
    .executeTakeFirst();
}
