import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import { EVENTS_WITH_SECRETS } from './notification-events.js';
import type { Notification, PortalMessage } from './notification-schemas.js';
import type { NotificationChannel, NotificationTable } from './notification-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type NotificationRow = Selectable<NotificationTable>;

/**
 * A message of the log as the API and the CLI show it: as it was sent, except that a message
 * carrying a secret (EVENTS_WITH_SECRETS: a password reset link) has it redacted. The row keeps
 * the message whole, since the sender needs it until it is sent; whoever reads the log (read-only
 * API keys, support) must not be able to take over the account from it.
 */
export function toNotification(row: NotificationRow): Notification {
  const shown = EVENTS_WITH_SECRETS.has(row.event) ? redactSecrets : (text: string) => text;
  return {
    id: row.id,
    customerId: row.customer_id,
    userId: row.user_id,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    event: row.event,
    channel: row.channel,
    language: row.language,
    recipient: row.recipient,
    subject: row.subject === null ? null : shown(row.subject),
    text: shown(row.body_text),
    html: row.body_html === null ? null : shown(row.body_html),
    attachments: row.attachments.map((attachment) => ({ ...attachment })),
    urgent: row.urgent,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    sendAfter: row.send_after.toISOString(),
    lastError: row.last_error,
    sentAt: row.sent_at?.toISOString() ?? null,
    readAt: row.read_at?.toISOString() ?? null,
    sourceKey: row.source_key,
    data: row.data,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The secrets Tollgate puts in messages are its 256-bit tokens (users/secret-token.ts: 43
 * base64url characters). Any run of 43 or more such characters is replaced, wherever a tenant's
 * template placed the link, so no token survives (a long word shown as redacted costs nothing).
 */
const TOKEN_LIKE = /[A-Za-z0-9_-]{43,}/g;
export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  return text.replace(TOKEN_LIKE, REDACTED);
}

export function toPortalMessage(row: NotificationRow): PortalMessage {
  return {
    id: row.id,
    accountId: row.account_id,
    event: row.event,
    text: row.body_text,
    status: row.status === 'read' ? 'read' : 'sent',
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

export async function findNotification(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface NotificationFilters {
  readonly customerId?: string | undefined;
  readonly accountId?: string | undefined;
  readonly status?: NotificationRow['status'] | undefined;
  readonly event?: string | undefined;
  readonly channel?: NotificationChannel | undefined;
  /** Portal messages only: those not read yet. */
  readonly unread?: boolean | undefined;
}

export interface NotificationPageRequest {
  readonly filters: NotificationFilters;
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  readonly rows: number;
}

/** A page of a tenant's message log by creation time (keyset pagination on (created_at, id)). */
export async function listNotifications(
  db: Executor,
  tenantId: string,
  request: NotificationPageRequest,
): Promise<NotificationRow[]> {
  const { filters } = request;
  const query = db
    .selectFrom('notifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filters.customerId !== undefined, (q) => q.where('customer_id', '=', filters.customerId!))
    .$if(filters.accountId !== undefined, (q) => q.where('account_id', '=', filters.accountId!))
    .$if(filters.status !== undefined, (q) => q.where('status', '=', filters.status!))
    .$if(filters.event !== undefined, (q) => q.where('event', '=', filters.event!))
    .$if(filters.channel !== undefined, (q) => q.where('channel', '=', filters.channel!))
    .$if(filters.unread === true, (q) => q.where('status', '=', 'sent'));
  return keysetPage(query, request.after, request.order, request.rows).execute();
}

/** A customer's portal messages (delivered or read), newest first by default. */
export async function listPortalMessages(
  db: Executor,
  tenantId: string,
  customerId: string,
  request: Omit<NotificationPageRequest, 'filters'> & { readonly unread?: boolean | undefined },
): Promise<NotificationRow[]> {
  const query = db
    .selectFrom('notifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('channel', '=', 'portal')
    .where('status', 'in', request.unread === true ? ['sent'] : ['sent', 'read']);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}
