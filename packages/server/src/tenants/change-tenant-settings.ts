import { isCurrencyCode } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { Tenant, UpdateTenantBody } from './tenant-schemas.js';
import { findTenant, toTenant } from './tenant-store.js';

export type SettingsProblem = { ok: false; field: string; message: string };

/** Checks what a schema cannot: a known currency and time zone. */
export function checkSettings(settings: {
  defaultCurrency?: string | undefined;
  timeZone?: string | undefined;
}): SettingsProblem | null {
  if (settings.defaultCurrency !== undefined && !isCurrencyCode(settings.defaultCurrency)) {
    return {
      ok: false,
      field: '/defaultCurrency',
      message: `"${settings.defaultCurrency}" is not an ISO 4217 currency`,
    };
  }
  if (settings.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: settings.timeZone });
    } catch {
      return { ok: false, field: '/timeZone', message: `"${settings.timeZone}" is not an IANA time zone` };
    }
  }
  return null;
}

/** Changes the caller's own tenant settings, with the audit entry, in one transaction. */
export async function changeTenantSettings(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  patch: UpdateTenantBody,
  now: Date,
): Promise<{ ok: true; tenant: Tenant } | SettingsProblem> {
  const problem = checkSettings(patch);
  if (problem !== null) return problem;
  return db.transaction().execute(async (trx) => {
    const before = toTenant((await findTenant(trx, tenantId, true))!);
    const row = await trx
      .updateTable('tenants')
      .set({
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.defaultCurrency === undefined ? {} : { default_currency: patch.defaultCurrency }),
        ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
        ...(patch.language === undefined ? {} : { language: patch.language }),
        ...(patch.countryCode === undefined ? {} : { country_code: patch.countryCode }),
        ...(patch.internationalPrefix === undefined
          ? {}
          : { international_prefix: patch.internationalPrefix }),
        ...(patch.trunkPrefix === undefined ? {} : { trunk_prefix: patch.trunkPrefix }),
        updated_at: now,
      })
      .where('id', '=', tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const tenant = toTenant(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'tenant.updated',
      objectType: 'tenant',
      objectId: tenantId,
      before,
      after: tenant,
      occurredAt: now,
    });
    return { ok: true as const, tenant };
  });
}
