import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { builtInTemplate, type TemplateSource } from './built-in-template.js';
import {
  FALLBACK_LANGUAGE,
  NOTIFICATION_LANGUAGES,
  type NotificationLanguage,
} from './notification-events.js';
import type {
  NotificationChannel,
  NotificationEvent,
  NotificationTemplateTable,
} from './notification-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type NotificationTemplateRow = Selectable<NotificationTemplateTable>;

export interface NotificationTemplateView {
  readonly event: string;
  readonly channel: NotificationChannel;
  readonly language: string;
  readonly subject: string | null;
  readonly bodyText: string;
  readonly bodyHtml: string | null;
  /** `tenant`: the tenant's own; `built_in`: Tollgate's, used where the tenant has none. */
  readonly origin: 'tenant' | 'built_in';
  readonly updatedAt: string | null;
}

export function toTemplateView(row: NotificationTemplateRow): NotificationTemplateView {
  return {
    event: row.event,
    channel: row.channel,
    language: row.language,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    origin: 'tenant',
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findNotificationTemplate(
  db: Executor,
  tenantId: string,
  key: { event: string; channel: NotificationChannel; language: string },
): Promise<NotificationTemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('event', '=', key.event)
    .where('channel', '=', key.channel)
    .where('language', '=', key.language)
    .executeTakeFirst();
}

export function isBuiltInLanguage(language: string): language is NotificationLanguage {
  return (NOTIFICATION_LANGUAGES as readonly string[]).includes(language);
}

/** The language of the words: a tag without its region, lower case (es-MX -> es). */
export function languageOfTag(tag: string): string {
  return (tag.split('-')[0] ?? FALLBACK_LANGUAGE).toLowerCase();
}

export interface ResolvedTemplate {
  readonly template: TemplateSource;
  readonly language: string;
  readonly origin: 'tenant' | 'built_in';
}

/**
 * The template a message is written with: the tenant's own in the customer's language, else the
 * built-in one in that language, else (a language without built-in templates) the tenant's
 * English one, else the built-in English one.
 */
export async function resolveNotificationTemplate(
  db: Executor,
  tenantId: string,
  event: NotificationEvent,
  channel: NotificationChannel,
  customerLanguage: string,
): Promise<ResolvedTemplate> {
  const wanted = languageOfTag(customerLanguage);
  const candidates = [...new Set([wanted, FALLBACK_LANGUAGE])];
  const rows = await db
    .selectFrom('notification_templates')
    .select(['language', 'subject', 'body_text', 'body_html'])
    .where('tenant_id', '=', tenantId)
    .where('event', '=', event)
    .where('channel', '=', channel)
    .where('language', 'in', candidates)
    .execute();
  for (const language of candidates) {
    const row = rows.find((candidate) => candidate.language === language);
    if (row !== undefined)
      return {
        template: { subject: row.subject, bodyText: row.body_text, bodyHtml: row.body_html },
        language,
        origin: 'tenant',
      };
    if (isBuiltInLanguage(language))
      return { template: builtInTemplate(event, channel, language), language, origin: 'built_in' };
  }
  return {
    template: builtInTemplate(event, channel, FALLBACK_LANGUAGE),
    language: FALLBACK_LANGUAGE,
    origin: 'built_in',
  };
}
