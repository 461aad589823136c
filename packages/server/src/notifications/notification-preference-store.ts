import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import {
  channelsOf,
  enabledByDefault,
  isRequiredMessage,
  NOTIFICATION_EVENTS,
} from './notification-events.js';
import type { Preferences } from './notification-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * What a customer takes on which channel: every event and each channel it goes by, with what
 * applies now, the default, and whether it is required; undefined for an unknown customer.
 */
export async function readNotificationPreferences(
  db: Executor,
  tenantId: string,
  customerId: string,
): Promise<Preferences | undefined> {
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'sms_number'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (customer === undefined) return undefined;
  const stored = await db
    .selectFrom('notification_preferences')
    .select(['event', 'channel', 'enabled'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .execute();
  const preferences = NOTIFICATION_EVENTS.flatMap((event) =>
    channelsOf(event).map((channel) => {
      const required = isRequiredMessage(event, channel);
      const byDefault = enabledByDefault(event, channel, false);
      const choice = stored.find((row) => row.event === event && row.channel === channel)?.enabled;
      return { event, channel, enabled: required || (choice ?? byDefault), default: byDefault, required };
    }),
  );
  return { customerId, smsNumber: customer.sms_number, preferences };
}
