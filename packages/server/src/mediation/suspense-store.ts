import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type KeysetPosition, keysetPage } from '../db/keyset-page.js';
import type { SuspendedRecordTable, SuspenseAttemptTable, SuspenseStatus } from './mediation-tables.js';

export interface SuspendedRecord {
  readonly id: string;
  readonly sourceId: string;
  readonly recordKey: string;
  readonly fileId: string | null;
  readonly lineNumber: number | null;
  readonly raw: string;
  readonly originalRaw: string;
  readonly reason: string;
  readonly field: string | null;
  readonly message: string;
  readonly status: SuspenseStatus;
  readonly attempts: number;
  readonly ratedUsageId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SuspenseAttempt {
  readonly attempt: number;
  readonly raw: string;
  readonly outcome: 'loaded' | 'duplicate' | 'suspended';
  readonly reason: string | null;
  readonly message: string | null;
  readonly actor: { readonly type: string; readonly id: string };
  readonly createdAt: Date;
}

export function suspendedRecordOf(row: Selectable<SuspendedRecordTable>): SuspendedRecord {
  return {
    id: row.id,
    sourceId: row.source_id,
    recordKey: row.record_key,
    fileId: row.file_id,
    lineNumber: row.line_number === null ? null : Number(row.line_number),
    raw: row.raw,
    originalRaw: row.original_raw,
    reason: row.reason,
    field: row.field,
    message: row.message,
    status: row.status,
    attempts: row.attempts,
    ratedUsageId: row.rated_usage_id === null ? null : String(row.rated_usage_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function suspenseAttemptOf(row: Selectable<SuspenseAttemptTable>): SuspenseAttempt {
  return {
    attempt: row.attempt,
    raw: row.raw,
    outcome: row.outcome,
    reason: row.reason,
    message: row.message,
    actor: { type: row.actor_type, id: row.actor_id },
    createdAt: row.created_at,
  };
}

export interface SuspenseFilters {
  readonly status?: SuspenseStatus | undefined;
  readonly sourceId?: string | undefined;
  readonly fileId?: string | undefined;
  readonly reason?: string | undefined;
}

/** A page of suspended record rows in creation order after the cursor (see keysetPage). */
export async function listSuspendedRecords(
  db: Kysely<Database>,
  tenantId: string,
  filters: SuspenseFilters,
  page: { readonly limit: number; readonly after: KeysetPosition | null; readonly order: 'asc' | 'desc' },
): Promise<Selectable<SuspendedRecordTable>[]> {
  const query = db
    .selectFrom('suspended_records')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filters.status !== undefined, (q) => q.where('status', '=', filters.status!))
    .$if(filters.sourceId !== undefined, (q) => q.where('source_id', '=', filters.sourceId!))
    .$if(filters.fileId !== undefined, (q) => q.where('file_id', '=', filters.fileId!))
    .$if(filters.reason !== undefined, (q) => q.where('reason', '=', filters.reason!));
  return keysetPage(query, page.after, page.order, page.limit).execute();
}

export async function findSuspendedRecord(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<{ record: SuspendedRecord; attempts: SuspenseAttempt[] } | undefined> {
  const row = await db
    .selectFrom('suspended_records')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const attempts = await db
    .selectFrom('suspense_attempts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('suspended_record_id', '=', id)
    .orderBy('attempt')
    .execute();
  return { record: suspendedRecordOf(row), attempts: attempts.map(suspenseAttemptOf) };
}
