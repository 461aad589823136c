import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { Database } from './database-schema.js';
import * as foundation from './migrations/0001-foundation.js';
import * as catalog from './migrations/0002-catalog.js';
import * as accounts from './migrations/0003-accounts.js';
import * as users from './migrations/0004-users.js';
import * as ledger from './migrations/0005-ledger.js';
import * as mediation from './migrations/0006-mediation.js';
import * as billing from './migrations/0007-billing.js';
import * as payments from './migrations/0008-payments.js';
import * as notifications from './migrations/0009-notifications.js';
import * as customerNotes from './migrations/0010-customer-notes.js';
import * as notificationsToUsers from './migrations/0011-notifications-to-users.js';
import * as reports from './migrations/0012-reports.js';
import * as fraud from './migrations/0013-fraud.js';

/**
 * Every migration, in order. Listed in code rather than read from a folder, so the compiled CLI
 * and the tests from source see the same set. Names never change once released.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-foundation': foundation,
  '0002-catalog': catalog,
  '0003-accounts': accounts,
  '0004-users': users,
  '0005-ledger': ledger,
  '0006-mediation': mediation,
  '0007-billing': billing,
  '0008-payments': payments,
  '0009-notifications': notifications,
  '0010-customer-notes': customerNotes,
  '0011-notifications-to-users': notificationsToUsers,
  '0012-reports': reports,
  '0013-fraud': fraud,
};

export interface MigrationOutcome {
  readonly applied: readonly string[];
  readonly error: unknown;
}

/**
 * Brings the schema up to date. Kysely's migrator takes a PostgreSQL advisory lock, so several
 * Tollgate processes starting at once migrate once.
 */
export async function migrateDatabase(db: Kysely<Database>): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    error: result.error,
  };
}
