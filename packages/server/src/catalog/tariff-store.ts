import type { TariffDocument } from '@tollgate/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { TariffSourceFormat, TariffSummary, TariffTable, TariffVersionTable } from './catalog-tables.js';
import type { TariffDetail, TariffItem, TariffVersion } from './tariff-schemas.js';

export type TariffRow = Selectable<TariffTable>;
/** A version without its document, which may be megabytes: listings and look-ups never read it. */
export type TariffVersionRow = Omit<Selectable<TariffVersionTable>, 'document'>;
type Executor = Kysely<Database> | Transaction<Database>;

export const TARIFF_VERSION_COLUMNS = [
  'id',
  'tenant_id',
  'tariff_id',
  'version',
  'document_sha256',
  'summary',
  'source_format',
  'activates_at',
  'created_at',
] as const;

/** One tariff of one tenant; another tenant's id reads as absent. */
export async function findTariff(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<TariffRow | undefined> {
  let query = db.selectFrom('tariffs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findTariffByCode(
  db: Executor,
  tenantId: string,
  code: string,
): Promise<TariffRow | undefined> {
  return db
    .selectFrom('tariffs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
}

/** The versions of some tariffs (of one tenant), oldest first, without documents. */
export async function listTariffVersions(
  db: Executor,
  tenantId: string,
  tariffIds: readonly string[],
): Promise<TariffVersionRow[]> {
  if (tariffIds.length === 0) return [];
  return db
    .selectFrom('tariff_versions')
    .select(TARIFF_VERSION_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('tariff_id', 'in', tariffIds)
    .orderBy('tariff_id')
    .orderBy('version')
    .execute();
}

/** The version in effect at `at`: the highest version that has activated by then. */
export async function findTariffVersionAt(
  db: Executor,
  tenantId: string,
  tariffId: string,
  at: Date,
): Promise<TariffVersionRow | undefined> {
  return db
    .selectFrom('tariff_versions')
    .select(TARIFF_VERSION_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('tariff_id', '=', tariffId)
    .where('activates_at', '<=', at)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findTariffVersionById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<TariffVersionRow | undefined> {
  return db
    .selectFrom('tariff_versions')
    .select(TARIFF_VERSION_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findTariffVersionDocument(
  db: Executor,
  tenantId: string,
  tariffId: string,
  version: number,
): Promise<(TariffVersionRow & { document: TariffDocument }) | undefined> {
  return db
    .selectFrom('tariff_versions')
    .select([...TARIFF_VERSION_COLUMNS, 'document'])
    .where('tenant_id', '=', tenantId)
    .where('tariff_id', '=', tariffId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** The stored document of a version, by its id alone: for the compiled-tariff cache. */
export async function readTariffDocument(db: Executor, versionId: string): Promise<TariffDocument> {
  const row = await db
    .selectFrom('tariff_versions')
    .select('document')
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  return row.document;
}

export function toTariffVersion(row: TariffVersionRow): TariffVersion {
  return {
    id: row.id,
    tariffId: row.tariff_id,
    version: row.version,
    sourceFormat: row.source_format,
    activatesAt: row.activates_at.toISOString(),
    documentSha256: row.document_sha256,
    summary: row.summary,
    createdAt: row.created_at.toISOString(),
  };
}

/** The version of a list (ordered by version) in effect at `at`, if any. */
export function versionInEffect(versions: readonly TariffVersionRow[], at: Date): number | null {
  let found: number | null = null;
  for (const version of versions) {
    if (version.activates_at.getTime() <= at.getTime() && (found === null || version.version > found))
      found = version.version;
  }
  return found;
}

export function toTariffItem(row: TariffRow, versions: readonly TariffVersionRow[], now: Date): TariffItem {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    activeVersion: versionInEffect(versions, now),
    latestVersion: versions.reduce((latest, version) => Math.max(latest, version.version), 0),
    createdAt: row.created_at.toISOString(),
  };
}

export function toTariffDetail(
  row: TariffRow,
  versions: readonly TariffVersionRow[],
  now: Date,
): TariffDetail {
  return { ...toTariffItem(row, versions, now), versions: versions.map(toTariffVersion) };
}

export interface NewTariffVersion {
  readonly tenantId: string;
  readonly tariffId: string;
  readonly version: number;
  readonly document: TariffDocument;
  readonly documentSha256: string;
  readonly summary: TariffSummary;
  readonly sourceFormat: TariffSourceFormat;
  readonly activatesAt: Date;
  readonly createdAt: Date;
}

export async function insertTariffVersion(
  trx: Transaction<Database>,
  version: NewTariffVersion,
): Promise<TariffVersionRow> {
  return trx
    .insertInto('tariff_versions')
    .values({
      tenant_id: version.tenantId,
      tariff_id: version.tariffId,
      version: version.version,
      document: JSON.stringify(version.document),
      document_sha256: version.documentSha256,
      summary: JSON.stringify(version.summary),
      source_format: version.sourceFormat,
      activates_at: version.activatesAt,
      created_at: version.createdAt,
    })
    .returning(TARIFF_VERSION_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** What the audit log keeps of a version: enough to identify it, never the whole document. */
export function tariffVersionAuditSummary(code: string, row: TariffVersionRow): Record<string, unknown> {
  return {
    code,
    version: row.version,
    sourceFormat: row.source_format,
    activatesAt: row.activates_at.toISOString(),
    documentSha256: row.document_sha256,
    summary: row.summary,
  };
}
