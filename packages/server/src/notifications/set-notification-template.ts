import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { checkNotificationTemplate } from './check-notification-template.js';
import { goesBy, isNotificationChannel, isNotificationEvent } from './notification-events.js';
import type { SetNotificationTemplateBody } from './notification-schemas.js';
import {
  findNotificationTemplate,
  type NotificationTemplateView,
  toTemplateView,
} from './notification-template-store.js';

export interface TemplateKey {
  readonly event: string;
  readonly channel: string;
  readonly language: string;
}

export type SetNotificationTemplateResult =
  | { readonly ok: true; readonly template: NotificationTemplateView; readonly created: boolean }
  | UseCaseFailure;

const LANGUAGE = /^[a-z]{2}$/;

/**
 * Sets a tenant's own template of an event, channel and language (any ISO 639-1 language, not
 * only the built-in ones); it takes the place of the built-in one for messages queued from then
 * on. Audited with the template before and after.
 */
export async function setNotificationTemplate(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  key: TemplateKey,
  body: SetNotificationTemplateBody,
  now: Date,
): Promise<SetNotificationTemplateResult> {
  if (!isNotificationEvent(key.event)) return notFound(`no notification event ${key.event}`);
  if (!isNotificationChannel(key.channel)) return notFound(`no notification channel ${key.channel}`);
  if (!goesBy(key.event, key.channel)) return notFound(`${key.event} never goes by ${key.channel}`);
  if (!LANGUAGE.test(key.language))
    return invalid(
      'language',
      `"${key.language}" is not an ISO 639-1 language code (two lower-case letters)`,
    );
  const checked = checkNotificationTemplate(key.event, key.channel, body);
  if (!checked.ok) return checked;
  const channel = key.channel;
  return db.transaction().execute(async (trx): Promise<SetNotificationTemplateResult> => {
    const before = await findNotificationTemplate(trx, tenantId, { ...key, channel });
    const row = await trx
      .insertInto('notification_templates')
      .values({
        tenant_id: tenantId,
        event: key.event,
        channel,
        language: key.language,
        subject: checked.template.subject,
        body_text: checked.template.bodyText,
        body_html: checked.template.bodyHtml,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'event', 'channel', 'language']).doUpdateSet({
          subject: checked.template.subject,
          body_text: checked.template.bodyText,
          body_html: checked.template.bodyHtml,
          updated_at: now,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const template = toTemplateView(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'notification_template.set',
      objectType: 'notification_template',
      objectId: row.id,
      before: before === undefined ? null : toTemplateView(before),
      after: template,
      occurredAt: now,
    });
    return { ok: true, template, created: before === undefined };
  });
}
