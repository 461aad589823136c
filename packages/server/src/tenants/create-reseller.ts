import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { checkSettings, type SettingsProblem } from './change-tenant-settings.js';
import type { CreateResellerBody, Tenant } from './tenant-schemas.js';
import { findTenant, toTenant } from './tenant-store.js';

export type CreateResellerResult =
  | { ok: true; tenant: Tenant }
  | SettingsProblem
  | { ok: false; code: 'slug_taken'; message: string };

/**
 * Creates a reseller: a tenant of its own under the caller's tenant, inheriting its settings
 * unless given. A reseller's data is its own (its keys see only it); the audit entry goes to the
 * parent's chain, where the decision was made.
 */
export async function createReseller(
  db: Kysely<Database>,
  parentTenantId: string,
  actor: Actor,
  input: CreateResellerBody,
  now: Date,
): Promise<CreateResellerResult> {
  const problem = checkSettings(input);
  if (problem !== null) return problem;
  return db.transaction().execute(async (trx): Promise<CreateResellerResult> => {
    const parent = (await findTenant(trx, parentTenantId))!;
    const taken = await trx
      .selectFrom('tenants')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (taken !== undefined)
      return { ok: false, code: 'slug_taken', message: `slug "${input.slug}" is taken` };
    const row = await trx
      .insertInto('tenants')
      .values({
        parent_tenant_id: parentTenantId,
        slug: input.slug,
        name: input.name,
        default_currency: input.defaultCurrency ?? parent.default_currency,
        time_zone: input.timeZone ?? parent.time_zone,
        language: input.language ?? parent.language,
        country_code: input.countryCode ?? parent.country_code,
        international_prefix: input.internationalPrefix ?? parent.international_prefix,
        trunk_prefix: input.trunkPrefix ?? parent.trunk_prefix,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const tenant = toTenant(row);
    await recordAuditEntry(trx, {
      tenantId: parentTenantId,
      actor,
      action: 'reseller.created',
      objectType: 'tenant',
      objectId: tenant.id,
      before: null,
      after: tenant,
      occurredAt: now,
    });
    return { ok: true, tenant };
  });
}
