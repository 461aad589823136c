import { type Kysely, sql } from 'kysely';
import { createApiKey } from '../src/api-keys/create-api-key.js';
import { revokeApiKey } from '../src/api-keys/revoke-api-key.js';
import type { Actor } from '../src/audit/record-audit-entry.js';
import { createCustomer } from '../src/customers/create-customer.js';
import { updateCustomer } from '../src/customers/update-customer.js';
import type { Database } from '../src/db/database-schema.js';
import { createUser } from '../src/users/create-user.js';
import { createTestTenant } from './api/api-fixtures.js';

/**
 * Builds a tenant's audit chain through the use cases (five entries: customer created, customer
 * changed, user created, API key issued, API key revoked), as the API would.
 */
export async function buildAuditChain(db: Kysely<Database>, name: string): Promise<string> {
  const tenant = await createTestTenant(db, name);
  const actor: Actor = { type: 'api_key', id: 'audit-test' };
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 9, 8, minute));
  const customer = await createCustomer(db, tenant.id, actor, { kind: 'person', givenName: 'Ada' }, at(0));
  if (!customer.ok) throw new Error('customer not created');
  await updateCustomer(db, tenant.id, actor, customer.customer.id, { familyName: 'Lovelace' }, at(1));
  await createUser(
    db,
    tenant.id,
    actor,
    {
      email: `ops@${tenant.id}.test`,
      password: 'correct horse battery staple',
      kind: 'staff',
      role: 'operator',
    },
    at(2),
  );
  const key = await createApiKey(
    db,
    { tenantId: tenant.id, role: 'admin', actor },
    { name: 'k', role: 'support' },
    at(3),
  );
  if (!key.ok) throw new Error('key not issued');
  await revokeApiKey(db, tenant.id, actor, key.apiKey.id, at(4));
  return tenant.id;
}

/** Changes the append-only log as an attacker with database access would: around its trigger. */
export async function tamper(
  db: Kysely<Database>,
  change: (db: Kysely<Database>) => Promise<unknown>,
): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
  try {
    await change(db);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
  }
}
