import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { isNotificationChannel } from './notification-events.js';
import { findNotificationTemplate, toTemplateView } from './notification-template-store.js';
import type { TemplateKey } from './set-notification-template.js';

/** Removes a tenant's own template: the built-in one applies again. Audited. */
export async function deleteNotificationTemplate(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  key: TemplateKey,
  now: Date,
): Promise<{ readonly ok: true } | UseCaseFailure> {
  const channel = key.channel;
  if (!isNotificationChannel(channel)) return notFound(`no notification channel ${channel}`);
  return db.transaction().execute(async (trx) => {
    const row = await findNotificationTemplate(trx, tenantId, { ...key, channel });
    if (row === undefined)
      return notFound(`no template of the tenant for ${key.event}/${channel}/${key.language}`);
    await trx.deleteFrom('notification_templates').where('id', '=', row.id).execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'notification_template.deleted',
      objectType: 'notification_template',
      objectId: row.id,
      before: toTemplateView(row),
      after: null,
      occurredAt: now,
    });
    return { ok: true as const };
  });
}
