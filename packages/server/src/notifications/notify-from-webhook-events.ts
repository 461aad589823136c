import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { KeysetPosition } from '../db/keyset-page.js';
import type { WebhookEventType } from '../webhooks/record-webhook-event.js';
import type { WebhookEventTable } from '../webhooks/webhook-tables.js';
import type { NotificationEvent } from './notification-tables.js';
import { type NotificationAttachment, queueNotification } from './queue-notification.js';

type WebhookEventRow = Selectable<WebhookEventTable>;

interface Translated {
  readonly event: NotificationEvent;
  readonly accountId: string;
  readonly subscriptionId?: string;
  readonly data: Record<string, unknown>;
  readonly urgent: boolean;
  readonly attachments?: readonly NotificationAttachment[];
}

/** The outbox events customers are told of, and how each becomes a message. */
const TRANSLATIONS: Partial<Record<WebhookEventType, (data: Record<string, unknown>) => Translated | null>> =
  {
    'invoice.finalized': (data) =>
      withAccount(data, {
        event: 'invoice_issued',
        data: pick(data, ['invoiceId', 'number', 'total', 'currency', 'issuedOn', 'dueOn']),
        urgent: false,
        attachments:
          typeof data.invoiceId === 'string' ? [{ kind: 'invoice_pdf', invoiceId: data.invoiceId }] : [],
      }),
    'payment.succeeded': (data) =>
      withAccount(data, {
        event: 'payment_succeeded',
        data: pick(data, ['paymentId', 'amount', 'currency']),
        urgent: false,
      }),
    'payment.failed': (data) =>
      withAccount(data, {
        event: 'payment_failed',
        data: pick(data, ['paymentId', 'invoiceId', 'amount', 'currency', 'failureCode']),
        urgent: false,
      }),
    'dunning.reminder': (data) =>
      withAccount(data, {
        event: 'payment_due',
        data: { ...pick(data, ['dunningCaseId', 'owed', 'overdue', 'currency']), dueOn: earliestDueOn(data) },
        urgent: false,
      }),
    'subscription.suspended': (data) =>
      withAccount(data, { event: 'service_suspended', data: pick(data, ['reason']), urgent: true }),
    'subscription.restored': (data) =>
      withAccount(data, { event: 'service_restored', data: pick(data, ['reason']), urgent: true }),
  };

export const NOTIFIED_WEBHOOK_TYPES = Object.keys(TRANSLATIONS) as WebhookEventType[];

/** The source key of the messages of an outbox event: what makes the bridge idempotent. */
export function webhookSourceKey(eventId: string): string {
  return `webhook:${eventId}`;
}

export interface NotifyPassOptions {
  readonly now: () => Date;
  /**
   * Events recorded (created_at) at most this long ago are looked at, by the database's clock
   * (created_at is its now()), not the application's: the two need not agree.
   */
  readonly lookbackMs: number;
  readonly batchSize?: number;
}

export interface NotifyPassSummary {
  /** Outbox events turned into messages in this pass. */
  readonly events: number;
  /** Messages queued (or delivered to the portal). */
  readonly queued: number;
  /** The pass stopped at its bound with events left. */
  readonly moreDue: boolean;
}

const DEFAULT_BATCH_SIZE = 100;
/** Batches per tenant and pass: a bound on one pass, which then says more is due. */
const MAX_BATCHES = 200;

/**
 * Turns the outbox events that customers are told of into messages: every event recorded in the
 * last `lookbackMs` that has no message yet (no notifications row with source key `webhook:<event id>`),
 * tenant by tenant, each in its own transaction. The unique (tenant, source key, channel) of the
 * notifications table is the only state: two processes running this at once, or a pass repeated,
 * queue each message once; an event is never skipped while it is within the window looked at.
 * Every event that reaches a customer leaves at least one row (a suppressed one when they opted
 * out), so it is not looked at again.
 */
export async function notifyFromWebhookEvents(
  db: Kysely<Database>,
  options: NotifyPassOptions,
): Promise<NotifyPassSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  let events = 0;
  let queued = 0;
  let moreDue = false;
  for (const tenant of tenants) {
    let after: KeysetPosition | null = null;
    for (let batch = 0; ; batch++) {
      if (batch === MAX_BATCHES) {
        moreDue = true;
        break;
      }
      const rows = await unnotifiedEvents(db, tenant.id, options.lookbackMs, after, batchSize);
      for (const row of rows) {
        const count = await notifyOne(db, row, options.now());
        if (count !== null) {
          events++;
          queued += count;
        }
      }
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < batchSize) break;
      after = { createdAt: last.created_at, id: last.id };
    }
  }
  return { events, queued, moreDue };
}

async function unnotifiedEvents(
  db: Kysely<Database>,
  tenantId: string,
  lookbackMs: number,
  after: KeysetPosition | null,
  limit: number,
): Promise<WebhookEventRow[]> {
  return db
    .selectFrom('webhook_events as e')
    .selectAll('e')
    .where('e.tenant_id', '=', tenantId)
    .where(sql<boolean>`e.created_at >= now() - make_interval(secs => ${Math.ceil(lookbackMs / 1000)})`)
    .where('e.type', 'in', NOTIFIED_WEBHOOK_TYPES)
    .$if(after !== null, (query) =>
      query.where(sql<boolean>`(e.created_at, e.id) > (${after!.createdAt}, ${after!.id}::uuid)`),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notifications as n')
            .select(sql`1`.as('one'))
            .whereRef('n.tenant_id', '=', 'e.tenant_id')
            .where(sql<boolean>`n.source_key = 'webhook:' || e.id::text`),
        ),
      ),
    )
    .orderBy('e.created_at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Queues the messages of one event; null when it is not one customers are told of. */
async function notifyOne(db: Kysely<Database>, row: WebhookEventRow, now: Date): Promise<number | null> {
  const translated = TRANSLATIONS[row.type as WebhookEventType]?.(row.data);
  if (translated === undefined || translated === null) return null;
  return db.transaction().execute((trx) =>
    queueNotification(trx, {
      tenantId: row.tenant_id,
      accountId: translated.accountId,
      ...(translated.subscriptionId === undefined ? {} : { subscriptionId: translated.subscriptionId }),
      event: translated.event,
      data: translated.data,
      sourceKey: webhookSourceKey(row.id),
      urgent: translated.urgent,
      ...(translated.attachments === undefined ? {} : { attachments: translated.attachments }),
      occurredAt: row.occurred_at,
      now,
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function withAccount(data: Record<string, unknown>, rest: Omit<Translated, 'accountId'>): Translated | null {
  const accountId = data.accountId;
  if (typeof accountId !== 'string' || !UUID.test(accountId)) return null;
  const subscriptionId =
    typeof data.subscriptionId === 'string' && UUID.test(data.subscriptionId)
      ? data.subscriptionId
      : undefined;
  return { ...rest, accountId, ...(subscriptionId === undefined ? {} : { subscriptionId }) };
}

function pick(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => data[key] !== undefined).map((key) => [key, data[key]]));
}

/** The first due day among a reminder's invoices. */
function earliestDueOn(data: Record<string, unknown>): string | undefined {
  const invoices = Array.isArray(data.invoices) ? data.invoices : [];
  const days = invoices
    .map((invoice) => (invoice as { dueOn?: unknown }).dueOn)
    .filter((day): day is string => typeof day === 'string')
    .sort();
  return days[0];
}
