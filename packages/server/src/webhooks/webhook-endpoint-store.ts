import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { WebhookEndpoint } from './webhook-schemas.js';
import type { WebhookEndpointTable } from './webhook-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;

/** The endpoint as the API shows it: the secret is never part of it. */
export function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One endpoint of one tenant; another tenant's id reads as absent. */
export async function findWebhookEndpoint(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<WebhookEndpointRow | undefined> {
  let query = db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A page of a tenant's endpoints, by creation time. */
export async function listWebhookEndpoints(
  db: Executor,
  tenantId: string,
  page: {
    readonly status?: 'active' | 'disabled' | undefined;
    readonly after: CursorPosition | null;
    readonly order: 'asc' | 'desc';
    readonly rows: number;
  },
): Promise<WebhookEndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
  if (page.status !== undefined) query = query.where('status', '=', page.status);
  return keysetPage(query, page.after, page.order, page.rows).execute();
}
