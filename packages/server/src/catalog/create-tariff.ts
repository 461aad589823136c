import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { rememberCompiled } from './compiled-tariff-cache.js';
import { type CatalogIssue, prepareTariffDocument, type TariffSource } from './prepare-tariff-document.js';
import type { TariffDetail } from './tariff-schemas.js';
import { insertTariffVersion, tariffVersionAuditSummary, toTariffDetail } from './tariff-store.js';

export interface TariffVersionInput {
  /** When the version starts to apply; absent: now. */
  readonly activatesAt?: Date | undefined;
  readonly source: TariffSource;
}

export interface CreateTariffInput extends TariffVersionInput {
  readonly code: string;
  readonly name: string;
}

export type CreateTariffResult =
  | { ok: true; tariff: TariffDetail; warnings: readonly CatalogIssue[] }
  | { ok: false; code: 'invalid_tariff'; issues: readonly CatalogIssue[] }
  | { ok: false; code: 'code_taken'; message: string };

/**
 * Creates a tariff with its first version. The document is converted and compiled before the
 * transaction (compiling a large deck takes a while and needs no lock); the tariff, its version
 * and the audit entry are then written together.
 */
export async function createTariff(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateTariffInput,
  now: Date,
): Promise<CreateTariffResult> {
  const tenant = await db
    .selectFrom('tenants')
    .select(['default_currency', 'time_zone'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const prepared = prepareTariffDocument(input.source, {
    code: input.code,
    currency: tenant.default_currency,
    timeZone: tenant.time_zone,
  });
  if (!prepared.ok) return prepared;
  const { tariff } = prepared;
  const result = await db.transaction().execute(async (trx): Promise<CreateTariffResult> => {
    const row = await trx
      .insertInto('tariffs')
      .values({
        tenant_id: tenantId,
        code: input.code,
        name: input.name,
        currency: tariff.document.currency,
        created_at: now,
      })
      .onConflict((c) => c.columns(['tenant_id', 'code']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) {
      return { ok: false, code: 'code_taken', message: `a tariff with code "${input.code}" exists already` };
    }
    const version = await insertTariffVersion(trx, {
      tenantId,
      tariffId: row.id,
      version: 1,
      document: tariff.document,
      documentSha256: tariff.sha256,
      summary: tariff.summary,
      sourceFormat: tariff.sourceFormat,
      activatesAt: input.activatesAt ?? now,
      createdAt: now,
    });
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'tariff.created',
      objectType: 'tariff',
      objectId: row.id,
      before: null,
      after: { name: row.name, currency: row.currency, ...tariffVersionAuditSummary(row.code, version) },
      occurredAt: now,
    });
    return { ok: true, tariff: toTariffDetail(row, [version], now), warnings: tariff.warnings };
  });
  const stored = result.ok ? result.tariff.versions[0] : undefined;
  if (stored !== undefined) rememberCompiled(stored, tariff.compiled, now);
  return result;
}
