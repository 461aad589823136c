import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { rememberCompiled } from './compiled-tariff-cache.js';
import type { TariffVersionInput } from './create-tariff.js';
import { type CatalogIssue, prepareTariffDocument } from './prepare-tariff-document.js';
import type { TariffVersion } from './tariff-schemas.js';
import {
  findTariff,
  insertTariffVersion,
  tariffVersionAuditSummary,
  toTariffVersion,
} from './tariff-store.js';

export type AddTariffVersionResult =
  | { ok: true; version: TariffVersion; warnings: readonly CatalogIssue[] }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'invalid_tariff'; issues: readonly CatalogIssue[] };

/**
 * Stores the next version of a tariff. Earlier versions stay as they are: the new one applies from
 * its activation time on (rating at an earlier instant still finds the version then in effect).
 * A tariff keeps one currency across its versions, so a plan priced in it never changes currency.
 */
export async function addTariffVersion(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  tariffId: string,
  input: TariffVersionInput,
  now: Date,
): Promise<AddTariffVersionResult> {
  const tariff = await findTariff(db, tenantId, tariffId);
  if (tariff === undefined) return { ok: false, code: 'not_found' };
  const tenant = await db
    .selectFrom('tenants')
    .select('time_zone')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const prepared = prepareTariffDocument(input.source, {
    code: tariff.code,
    currency: tariff.currency,
    timeZone: tenant.time_zone,
  });
  if (!prepared.ok) return prepared;
  const { document } = prepared.tariff;
  if (document.currency !== tariff.currency) {
    const message = `tariff ${tariff.code} prices in ${tariff.currency}, this version in ${document.currency}; prices in another currency make another tariff`;
    return { ok: false, code: 'invalid_tariff', issues: [{ field: '/document/currency', message }] };
  }
  const row = await db.transaction().execute(async (trx) => {
    // The row lock orders concurrent writers of one tariff, so version numbers have no gaps.
    const locked = await findTariff(trx, tenantId, tariffId, true);
    if (locked === undefined) throw new Error(`tariff ${tariffId} vanished`);
    const latest = await trx
      .selectFrom('tariff_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('tariff_id', '=', tariffId)
      .executeTakeFirstOrThrow();
    const version = await insertTariffVersion(trx, {
      tenantId,
      tariffId,
      version: (latest.version ?? 0) + 1,
      document,
      documentSha256: prepared.tariff.sha256,
      summary: prepared.tariff.summary,
      sourceFormat: prepared.tariff.sourceFormat,
      activatesAt: input.activatesAt ?? now,
      createdAt: now,
    });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'tariff.version_added',
      objectType: 'tariff',
      objectId: tariffId,
      before: null,
      after: tariffVersionAuditSummary(locked.code, version),
      occurredAt: now,
    });
    return version;
  });
  const version = toTariffVersion(row);
  rememberCompiled(version, prepared.tariff.compiled, now);
  return { ok: true, version, warnings: prepared.tariff.warnings };
}
