import { type Kysely, sql } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type SuspendedRecord, suspendedRecordOf } from './suspense-store.js';

export type ChangeSuspendedResult =
  | { readonly ok: true; readonly record: SuspendedRecord }
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  /** Only open records change: a resolved record is rated usage now, a discarded one is closed. */
  | { readonly ok: false; readonly code: 'not_open'; readonly message: string };

/** The largest raw record an operator may write: the default record bound of a source. */
export const MAX_EDITED_RAW_BYTES = 65_536;

export type SuspenseChange =
  /** Replaces the raw text the next reprocessing reads; the original stays as it was received. */
  | { readonly kind: 'edit'; readonly raw: string }
  /** Closes the record without loading it, with the operator's reason. */
  | { readonly kind: 'discard'; readonly note: string };

/** Edits or discards an open suspended record, audited, under a row lock. */
export async function changeSuspendedRecord(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  change: SuspenseChange,
): Promise<ChangeSuspendedResult> {
  return db.transaction().execute(async (trx): Promise<ChangeSuspendedResult> => {
    const before = await trx
      .selectFrom('suspended_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (before === undefined) return { ok: false, code: 'not_found', message: `no suspended record ${id}` };
    if (before.status !== 'open')
      return { ok: false, code: 'not_open', message: `suspended record ${id} is ${before.status}` };
    const row = await trx
      .updateTable('suspended_records')
      .set(
        change.kind === 'edit'
          ? { raw: change.raw, updated_at: sql<Date>`now()` }
          : { status: 'discarded', updated_at: sql<Date>`now()` },
      )
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: change.kind === 'edit' ? 'suspended_record.edited' : 'suspended_record.discarded',
      objectType: 'suspended_record',
      objectId: id,
      before: { raw: before.raw, status: before.status },
      after:
        change.kind === 'edit'
          ? { raw: row.raw, status: row.status }
          : { status: row.status, note: change.note },
      occurredAt: row.updated_at,
    });
    return { ok: true, record: suspendedRecordOf(row) };
  });
}
