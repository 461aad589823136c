import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { issueApiKey } from '../auth/api-keys.js';
import { createCustomer } from '../customers/create-customer.js';
import type { Database } from '../db/database-schema.js';

export interface DemoSeed {
  readonly tenantId: string;
  readonly tenantSlug: string;
  /** The demo admin's API key, shown once at first start. */
  readonly adminKey: string;
}

export const DEMO_TENANT_SLUG = 'demo';
const SEED_ACTOR: Actor = { type: 'system', id: 'seed' };

/**
 * Creates the demo operator on an empty database: a German VoIP and mobile operator with an admin
 * API key and a few customers. Returns null when any tenant exists already (seeding runs once).
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
  const customers = [
    {
      kind: 'person',
      givenName: 'Anna',
      familyName: 'Schmidt',
      email: 'anna.schmidt@example.com',
      phone: '+4930555123',
    },
    {
      kind: 'person',
      givenName: 'Luis',
      familyName: 'García',
      email: 'luis.garcia@example.com',
      language: 'es',
    },
    { kind: 'business', companyName: 'Kiezfunk GmbH', email: 'billing@kiezfunk.example', taxRegion: 'DE' },
  ] as const;
  for (const customer of customers) {
    const created = await createCustomer(db, tenant.id, SEED_ACTOR, customer, now);
    if (!created.ok) throw new Error(`demo seed: ${created.message}`);
  }
  return { tenantId: tenant.id, tenantSlug: DEMO_TENANT_SLUG, adminKey: admin.key };
}
