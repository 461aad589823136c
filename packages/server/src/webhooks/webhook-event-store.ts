import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import { webhookEventPayload } from './webhook-event-payload.js';
import type { WebhookEventView } from './webhook-schemas.js';
import type { WebhookEventTable } from './webhook-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type WebhookEventStoredRow = Selectable<WebhookEventTable>;

/** The event as the API shows it: the very object its deliveries carry. */
export function toWebhookEvent(row: WebhookEventStoredRow): WebhookEventView {
  return webhookEventPayload(row);
}

/** One event of one tenant; another tenant's id reads as absent. */
export async function findWebhookEvent(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<WebhookEventStoredRow | undefined> {
  return db
    .selectFrom('webhook_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of a tenant's events, by the time they were recorded, optionally of one type. */
export async function listWebhookEvents(
  db: Executor,
  tenantId: string,
  page: {
    readonly type?: string | undefined;
    readonly after: CursorPosition | null;
    readonly order: 'asc' | 'desc';
    readonly rows: number;
  },
): Promise<WebhookEventStoredRow[]> {
  let query = db.selectFrom('webhook_events').selectAll().where('tenant_id', '=', tenantId);
  if (page.type !== undefined) query = query.where('type', '=', page.type);
  return keysetPage(query, page.after, page.order, page.rows).execute();
}
