import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import type { TemplateSource } from './built-in-template.js';
import { checkNotificationTemplate } from './check-notification-template.js';
import { goesBy, SAMPLE_COMMON, SAMPLE_DATA } from './notification-events.js';
import type { PreviewBody } from './notification-schemas.js';
import { resolveNotificationTemplate } from './notification-template-store.js';
import { renderNotification } from './render-notification.js';

export interface NotificationPreview {
  readonly event: string;
  readonly channel: PreviewBody['channel'];
  readonly language: string;
  readonly origin: 'tenant' | 'built_in' | 'request';
  readonly subject: string | null;
  readonly text: string;
  readonly html: string | null;
  readonly missing: readonly string[];
}

/**
 * A message as a customer in `language` would get it, with sample data (overridden by `data`):
 * with the template given in the request (to try one before saving it), else the one messages
 * would use now (the tenant's, else the built-in one). Nothing is stored or sent.
 */
export async function previewNotification(
  db: Kysely<Database>,
  tenantId: string,
  body: PreviewBody,
): Promise<{ readonly ok: true; readonly preview: NotificationPreview } | UseCaseFailure> {
  if (!goesBy(body.event, body.channel))
    return unprocessable('/channel', `${body.event} never goes by ${body.channel}`);
  const tenant = await db
    .selectFrom('tenants')
    .select(['name', 'time_zone', 'default_currency'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  let resolved: { template: TemplateSource; language: string; origin: NotificationPreview['origin'] };
  if (body.template !== undefined) {
    const checked = checkNotificationTemplate(body.event, body.channel, body.template);
    if (!checked.ok)
      return { ...checked, ...('field' in checked ? { field: `/template${checked.field}` } : {}) };
    resolved = { template: checked.template, language: body.language, origin: 'request' };
  } else {
    resolved = await resolveNotificationTemplate(db, tenantId, body.event, body.channel, body.language);
  }
  const rendered = renderNotification({
    event: body.event,
    channel: body.channel,
    template: resolved.template,
    templateLanguage: resolved.language,
    locale: body.language,
    data: { ...SAMPLE_DATA[body.event], ...(body.data ?? {}) },
    common: { ...SAMPLE_COMMON, operatorName: tenant.name },
    currency: tenant.default_currency,
    timeZone: tenant.time_zone,
  });
  if (!rendered.ok) return unprocessable(`/template/${rendered.field}`, rendered.message);
  return {
    ok: true,
    preview: {
      event: body.event,
      channel: body.channel,
      language: resolved.language,
      origin: resolved.origin,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      missing: rendered.missing,
    },
  };
}
