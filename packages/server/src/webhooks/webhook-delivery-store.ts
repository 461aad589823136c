import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { DeliveryStatusFilter, WebhookDeliveryView } from './webhook-schemas.js';
import type { WebhookDeliveryAttemptTable, WebhookDeliveryTable } from './webhook-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
type AttemptRow = Selectable<WebhookDeliveryAttemptTable>;

/** Attempts shown with a delivery: the latest ones; a delivery replayed for months keeps them all stored. */
export const SHOWN_ATTEMPTS = 25;

export function toWebhookDelivery(
  row: WebhookDeliveryRow,
  attempts: readonly AttemptRow[],
): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      attemptedAt: attempt.attempted_at.toISOString(),
      statusCode: attempt.status_code,
      error: attempt.error,
      durationMs: attempt.duration_ms,
    })),
  };
}

/** The deliveries as the API shows them, each with its latest attempts (one query for all of them). */
export async function withAttempts(
  db: Executor,
  tenantId: string,
  rows: readonly WebhookDeliveryRow[],
): Promise<WebhookDeliveryView[]> {
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('webhook_delivery_attempts')
        .selectAll()
        .select(sql<bigint>`row_number() over (partition by delivery_id order by attempt desc)`.as('recency'))
        .where('tenant_id', '=', tenantId)
        .where(
          'delivery_id',
          'in',
          rows.map((row) => row.id),
        )
        .as('a'),
    )
    .select([
      'id',
      'tenant_id',
      'delivery_id',
      'attempt',
      'attempted_at',
      'status_code',
      'error',
      'duration_ms',
    ])
    .where('recency', '<=', BigInt(SHOWN_ATTEMPTS))
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.delivery_id) ?? [];
    list.push(attempt);
    byDelivery.set(attempt.delivery_id, list);
  }
  return rows.map((row) => toWebhookDelivery(row, byDelivery.get(row.id) ?? []));
}

/** One delivery of one tenant; another tenant's id reads as absent. */
export async function findWebhookDelivery(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<WebhookDeliveryRow | undefined> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The deliveries of one event, one per endpoint, by creation. */
export async function deliveriesOfEvent(
  db: Executor,
  tenantId: string,
  eventId: string,
  lock = false,
): Promise<WebhookDeliveryRow[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('event_id', '=', eventId)
    .orderBy('created_at')
    .orderBy('id');
  if (lock) query = query.forUpdate();
  return query.execute();
}

/** A page of a tenant's deliveries, of one endpoint or all, optionally in one status. */
export async function listWebhookDeliveries(
  db: Executor,
  tenantId: string,
  page: {
    readonly endpointId?: string | undefined;
    readonly status?: DeliveryStatusFilter | undefined;
    readonly after: CursorPosition | null;
    readonly order: 'asc' | 'desc';
    readonly rows: number;
  },
): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId);
  if (page.endpointId !== undefined) query = query.where('endpoint_id', '=', page.endpointId);
  if (page.status !== undefined) query = query.where('status', '=', page.status);
  return keysetPage(query, page.after, page.order, page.rows).execute();
}
