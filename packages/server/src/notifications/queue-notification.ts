import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { channelsOf, enabledByDefault, isRequiredMessage, URGENT_EVENTS } from './notification-events.js';
import type { NotificationEvent, NotificationTable } from './notification-tables.js';
import { resolveNotificationTemplate } from './notification-template-store.js';
import { sendAfterQuietHours } from './quiet-hours.js';
import { renderNotification } from './render-notification.js';

/** A file sent with an email, by reference: rendered when the email is sent. */
export type NotificationAttachment = { readonly kind: 'invoice_pdf'; readonly invoiceId: string };

/**
 * A portal user a message goes to at their own address, rather than an account's customer at
 * the customer's: a password reset reaches whoever holds the user's mailbox, whatever address the
 * customer's bills go to.
 */
export interface UserAddressee {
  readonly userId: string;
  /** Where the email goes. */
  readonly email: string;
  /** A customer user's customer (the name, language and time zone used, and the log's customer); null for staff. */
  readonly customerId: string | null;
}

interface QueueNotificationFields {
  readonly tenantId: string;
  readonly subscriptionId?: string | null;
  readonly event: NotificationEvent;
  /** The event's values (see EVENT_PLACEHOLDERS in notification-events.ts); kept on the row. */
  readonly data: Record<string, unknown>;
  /**
   * Values the message needs that must not be kept in the row's data (a password reset link):
   * they reach the rendered message only. The message log still holds that message, so such
   * events are listed in EVENTS_WITH_SECRETS, and the log's API shows them redacted.
   */
  readonly secretData?: Readonly<Record<string, string>>;
  /** What caused the message: one message per source key and channel, however often it is queued. */
  readonly sourceKey: string;
  /** Sent at once whatever the quiet hours, and by SMS when the customer has a number. */
  readonly urgent?: boolean;
  readonly attachments?: readonly NotificationAttachment[];
  readonly occurredAt: Date;
  /** When the message is queued, for the quiet hours (default: occurredAt). */
  readonly now?: Date;
}

/** A message about an account, to its customer; or one to a portal user at their own address. */
export type QueueNotificationInput = QueueNotificationFields &
  (
    | { readonly accountId: string; readonly user?: undefined }
    | { readonly user: UserAddressee; readonly accountId?: undefined }
  );

const E164 = /^[+][1-9][0-9]{1,14}$/;

/**
 * Queues the messages of one event for an account's customer (or a portal user, see
 * UserAddressee), inside the caller's transaction (so they exist exactly when the change does):
 * one row per channel the event goes by and the customer takes it on,
 * rendered now in the customer's language, due now or when their quiet hours end (unless urgent).
 * Portal messages are delivered by being stored. A channel without an address, or one the
 * customer opted out of, gets a 'suppressed' row with the reason, so the log says why nothing
 * went. The same source key queues nothing twice. Returns how many messages were queued (or, for
 * the portal, delivered); suppressed rows do not count.
 */
export async function queueNotification(
  trx: Transaction<Database> | Kysely<Database>,
  input: QueueNotificationInput,
): Promise<number> {
  const recipient =
    input.user === undefined
      ? await recipientOf(trx, input.tenantId, input.accountId)
      : await userRecipientOf(trx, input.tenantId, input.user);
  if (recipient === undefined) return 0;
  const now = input.now ?? input.occurredAt;
  const urgent = input.urgent === true || URGENT_EVENTS.has(input.event);
  const customerId = recipient.customer_id;
  const stored =
    customerId === null
      ? []
      : await trx
          .selectFrom('notification_preferences')
          .select(['channel', 'enabled'])
          .where('tenant_id', '=', input.tenantId)
          .where('customer_id', '=', customerId)
          .where('event', '=', input.event)
          .execute();
  const line =
    input.data.line === undefined && input.subscriptionId != null
      ? await lineOf(trx, input.tenantId, input.subscriptionId, now)
      : undefined;
  const data = line === undefined ? input.data : { ...input.data, line };
  const smsNumber = [recipient.sms_number, recipient.phone].find(
    (candidate): candidate is string => candidate !== null && E164.test(candidate),
  );
  const quiet =
    recipient.quiet_hours_start === null || recipient.quiet_hours_end === null
      ? null
      : { start: recipient.quiet_hours_start, end: recipient.quiet_hours_end };
  const rows: Insertable<NotificationTable>[] = [];
  for (const channel of channelsOf(input.event)) {
    // A staff user has no SMS number and no portal messages: email is their only channel.
    if (customerId === null && channel !== 'email') continue;
    const preference = stored.find((row) => row.channel === channel)?.enabled;
    const wanted = isRequiredMessage(input.event, channel)
      ? true
      : (preference ?? enabledByDefault(input.event, channel, urgent));
    const address = channel === 'email' ? recipient.email : channel === 'sms' ? (smsNumber ?? null) : null;
    // SMS is offered where there is a number: without one and without an explicit wish, no row.
    if (channel === 'sms' && address === null && preference !== true) continue;
    if (channel === 'sms' && !wanted && preference === undefined) continue;
    const resolved = await resolveNotificationTemplate(
      trx,
      input.tenantId,
      input.event,
      channel,
      recipient.language,
    );
    const rendered = renderNotification({
      event: input.event,
      channel,
      template: resolved.template,
      templateLanguage: resolved.language,
      locale: recipient.language,
      data: input.secretData === undefined ? data : { ...data, ...input.secretData },
      common: {
        customerName: recipient.display_name,
        ...(recipient.account_number === null ? {} : { accountNumber: recipient.account_number }),
        operatorName: recipient.tenant_name,
      },
      currency: recipient.currency,
      timeZone: recipient.time_zone,
    });
    const suppressed = !wanted
      ? 'opted_out'
      : channel !== 'portal' && address === null
        ? 'no_address'
        : !rendered.ok
          ? `template_invalid: ${rendered.message}`
          : null;
    const content = rendered.ok ? rendered : { subject: null, text: '', html: null };
    rows.push({
      tenant_id: input.tenantId,
      customer_id: customerId,
      user_id: input.user?.userId ?? null,
      account_id: input.accountId ?? null,
      subscription_id: input.subscriptionId ?? null,
      event: input.event,
      channel,
      language: resolved.language,
      recipient: address,
      subject: content.subject,
      body_text: content.text,
      body_html: content.html,
      attachments: JSON.stringify(channel === 'email' ? (input.attachments ?? []) : []),
      urgent,
      status: suppressed !== null ? 'suppressed' : channel === 'portal' ? 'sent' : 'queued',
      reason: suppressed,
      send_after: channel === 'portal' || urgent ? now : sendAfterQuietHours(now, quiet, recipient.time_zone),
      sent_at: suppressed === null && channel === 'portal' ? now : null,
      source_key: input.sourceKey,
      data: JSON.stringify(jsonSafe(data)),
      created_at: now,
    });
  }
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto('notifications')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['tenant_id', 'source_key', 'channel']).doNothing())
    .returning('status')
    .execute();
  return inserted.filter((row) => row.status !== 'suppressed').length;
}

interface Recipient {
  readonly customer_id: string | null;
  /** How the greeting names them: the customer's name, or a staff user's address. */
  readonly display_name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly sms_number: string | null;
  readonly language: string;
  readonly quiet_hours_start: string | null;
  readonly quiet_hours_end: string | null;
  readonly account_number: string | null;
  readonly currency: string;
  readonly time_zone: string;
  readonly tenant_name: string;
}

async function recipientOf(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  accountId: string,
): Promise<Recipient | undefined> {
  return trx
    .selectFrom('accounts as a')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.id', '=', 'a.customer_id').onRef('c.tenant_id', '=', 'a.tenant_id'),
    )
    .innerJoin('tenants as t', 't.id', 'a.tenant_id')
    .select([
      'c.id as customer_id',
      'c.display_name',
      'c.email',
      'c.phone',
      'c.sms_number',
      'c.language',
      'c.quiet_hours_start',
      'c.quiet_hours_end',
      'a.account_number',
      'a.currency',
      'a.time_zone',
      't.name as tenant_name',
    ])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', '=', accountId)
    .executeTakeFirst();
}

/**
 * A portal user as a recipient: their own address; a customer user's customer for the name,
 * language, number and quiet hours, and their first account's time zone and currency (a message
 * to a user is about no account); a staff user's tenant for the language and time zone.
 */
async function userRecipientOf(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  user: UserAddressee,
): Promise<Recipient | undefined> {
  const tenant = await trx
    .selectFrom('tenants')
    .select(['name', 'language', 'time_zone', 'default_currency'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (tenant === undefined) return undefined;
  const staff = {
    customer_id: null,
    display_name: user.email,
    email: user.email,
    phone: null,
    sms_number: null,
    language: tenant.language,
    quiet_hours_start: null,
    quiet_hours_end: null,
    account_number: null,
    currency: tenant.default_currency,
    time_zone: tenant.time_zone,
    tenant_name: tenant.name,
  };
  if (user.customerId === null) return staff;
  const customer = await trx
    .selectFrom('customers')
    .select(['id', 'display_name', 'phone', 'sms_number', 'language', 'quiet_hours_start', 'quiet_hours_end'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', user.customerId)
    .executeTakeFirst();
  if (customer === undefined) return undefined;
  const account = await trx
    .selectFrom('accounts')
    .select(['currency', 'time_zone'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customer.id)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return {
    ...staff,
    customer_id: customer.id,
    display_name: customer.display_name,
    phone: customer.phone,
    sms_number: customer.sms_number,
    language: customer.language,
    quiet_hours_start: customer.quiet_hours_start,
    quiet_hours_end: customer.quiet_hours_end,
    currency: account?.currency ?? tenant.default_currency,
    time_zone: account?.time_zone ?? tenant.time_zone,
  };
}

/** The line's number as customers know it: its MSISDN (else any identifier) valid at `now`. */
async function lineOf(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  subscriptionId: string,
  now: Date,
): Promise<string | undefined> {
  const identifiers = await trx
    .selectFrom('subscription_identifiers')
    .select(['kind', 'value', 'valid_to'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy('valid_from', 'desc')
    .limit(20)
    .execute();
  const current = identifiers.filter((row) => row.valid_to === null || row.valid_to > now);
  const pool = current.length > 0 ? current : identifiers;
  return (pool.find((row) => row.kind === 'msisdn') ?? pool[0])?.value;
}

/** Event data as JSON: bigints (micro-units) as their digits. */
function jsonSafe(data: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify(data, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}
