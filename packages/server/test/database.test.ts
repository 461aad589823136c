import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate-database.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from './test-database.js';

describe(`database (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads int8 as bigint, beyond the range of a JavaScript number', async () => {
    const { rows } = await sql<{ big: bigint }>`select 9007199254740993::int8 as big`.execute(database.db);
    expect(rows[0]?.big).toBe(9_007_199_254_740_993n);
  });

  it('migrates once: a second run applies nothing', async () => {
    const again = await migrateDatabase(database.db);
    expect(again).toEqual({ applied: [], error: undefined });
  });

  it('refuses to change or delete audit entries', async () => {
    const tenant = await database.db
      .insertInto('tenants')
      .values({
        name: 'T',
        slug: `t-${Date.now()}`,
        default_currency: 'EUR',
        time_zone: 'UTC',
        language: 'en',
        country_code: '49',
        international_prefix: '00',
        trunk_prefix: '0',
        parent_tenant_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('audit_log')
      .values({
        tenant_id: tenant.id,
        sequence: 1n,
        occurred_at: new Date(),
        actor_type: 'system',
        actor_id: 'test',
        action: 'test',
        object_type: 'tenant',
        object_id: tenant.id,
        before: null,
        after: null,
        previous_hash: '0'.repeat(64),
        hash: '1'.repeat(64),
      })
      .execute();
    await expect(database.db.updateTable('audit_log').set({ action: 'forged' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(database.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});
