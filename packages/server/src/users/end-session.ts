import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';

export interface SessionToEnd {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly userId: string;
}

/** Signs out: the session is marked revoked (rows are kept, as evidence), with an audit entry. */
export async function endSession(db: Kysely<Database>, session: SessionToEnd, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id', '=', session.sessionId)
      .where('tenant_id', '=', session.tenantId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (ended === undefined) return;
    await recordAuditEntry(trx, {
      tenantId: session.tenantId,
      actor: { type: 'user', id: session.userId },
      action: 'session.ended',
      objectType: 'user',
      objectId: session.userId,
      before: null,
      after: null,
      occurredAt: now,
    });
  });
}
