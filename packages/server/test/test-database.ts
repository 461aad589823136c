import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../src/db/create-database.js';
import { migrateDatabase } from '../src/db/migrate-database.js';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database
 * on the PostgreSQL server named by TEST_DATABASE_URL (CI runs the suites both ways). The same
 * tests run against both; nothing is mocked.
 */
export interface TestDatabase extends DatabaseHandle {
  readonly label: string;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const DATABASE_LABEL = TEST_DATABASE_URL ? 'postgresql' : 'pglite';

export async function openTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === '') {
    const handle = await createDatabase({});
    await migrateOrThrow(handle);
    return { ...handle, label: 'pglite' };
  }
  const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await createDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  await migrateOrThrow(handle);
  return {
    ...handle,
    label: 'postgresql',
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function migrateOrThrow(handle: DatabaseHandle): Promise<void> {
  const outcome = await migrateDatabase(handle.db);
  if (outcome.error !== undefined) throw outcome.error;
}
