import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { issueApiKey } from '../../src/auth/api-keys.js';
import type { ApiKeyRole, Database } from '../../src/db/database-schema.js';
import { buildApp } from '../../src/http/build-app.js';
import { openTestDatabase, type TestDatabase } from '../test-database.js';

export interface TestTenant {
  readonly id: string;
  readonly keys: Readonly<Record<ApiKeyRole, string>>;
}

let tenantCounter = 0;

export async function createTestTenant(db: Kysely<Database>, name = 'Test operator'): Promise<TestTenant> {
  tenantCounter++;
  const tenant = await db
    .insertInto('tenants')
    .values({
      name,
      slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${tenantCounter}-${Date.now()}`,
      default_currency: 'EUR',
      time_zone: 'Europe/Berlin',
      language: 'de',
      country_code: '49',
      international_prefix: '00',
      trunk_prefix: '0',
      parent_tenant_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of ['admin', 'operator', 'support', 'read-only'] as const) {
    keys[role] = (await issueApiKey(db, tenant.id, `${role} key`, role)).key;
  }
  return { id: tenant.id, keys };
}

export interface ApiHarness {
  readonly database: TestDatabase;
  readonly app: FastifyInstance;
  readonly tenant: TestTenant;
  readonly otherTenant: TestTenant;
  close(): Promise<void>;
}

/** A migrated database, two tenants with a key of every role each, and the app over them. */
export async function openApiHarness(): Promise<ApiHarness> {
  const database = await openTestDatabase();
  const app = await buildApp({ db: database.db, now: () => new Date() });
  const tenant = await createTestTenant(database.db, 'Acme Telecom');
  const otherTenant = await createTestTenant(database.db, 'Rival Telecom');
  return {
    database,
    app,
    tenant,
    otherTenant,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
