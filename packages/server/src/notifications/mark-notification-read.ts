import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { PortalMessage } from './notification-schemas.js';
import { type NotificationRow, toPortalMessage } from './notification-store.js';

/**
 * Marks a portal message read. For a customer, only their own messages exist (another's reads as
 * absent); marking a read message again changes nothing. Audited the first time.
 */
export async function markNotificationRead(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  now: Date,
  customerId?: string,
): Promise<{ readonly ok: true; readonly message: PortalMessage } | UseCaseFailure> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('notifications')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .$if(customerId !== undefined, (query) => query.where('customer_id', '=', customerId!))
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined || row.channel !== 'portal' || (row.status !== 'sent' && row.status !== 'read'))
      return notFound(`no portal message ${id}`);
    if (row.status === 'read') return { ok: true as const, message: toPortalMessage(row) };
    const updated: NotificationRow = await trx
      .updateTable('notifications')
      .set({ status: 'read', read_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'notification.read',
      objectType: 'notification',
      objectId: id,
      before: { status: row.status },
      after: { status: 'read', readAt: now },
      occurredAt: now,
    });
    return { ok: true as const, message: toPortalMessage(updated) };
  });
}
