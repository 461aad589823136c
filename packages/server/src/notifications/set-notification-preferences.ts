import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import { goesBy, isRequiredMessage } from './notification-events.js';
import { readNotificationPreferences } from './notification-preference-store.js';
import type { Preferences, SetPreferencesBody } from './notification-schemas.js';

/**
 * Changes which events a customer takes on which channel (the ones listed; the others stay), and
 * where their SMS go. A message the operator must send (notification-events.ts,
 * REQUIRED_MESSAGES) cannot be turned off: asking to is 422, so nobody believes it was; nor can a
 * choice be made for a channel the event never goes by (a password reset by SMS). Audited.
 */
export async function setNotificationPreferences(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerId: string,
  body: SetPreferencesBody,
  now: Date,
): Promise<{ readonly ok: true; readonly preferences: Preferences } | UseCaseFailure> {
  const offChannel = body.preferences.findIndex((choice) => !goesBy(choice.event, choice.channel));
  if (offChannel !== -1) {
    const choice = body.preferences[offChannel]!;
    return unprocessable(
      `/preferences/${offChannel}/channel`,
      `${choice.event} never goes by ${choice.channel}: there is nothing to choose`,
    );
  }
  const refused = body.preferences.findIndex(
    (choice) => !choice.enabled && isRequiredMessage(choice.event, choice.channel),
  );
  if (refused !== -1) {
    const choice = body.preferences[refused]!;
    return unprocessable(
      `/preferences/${refused}/enabled`,
      `${choice.event} by ${choice.channel} is required (the operator must give this notice) and cannot be turned off`,
    );
  }
  return db.transaction().execute(async (trx) => {
    const before = await readNotificationPreferences(trx, tenantId, customerId);
    if (before === undefined) return notFound(`no customer ${customerId}`);
    await trx
      .selectFrom('customers')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', customerId)
      .forUpdate()
      .execute();
    if (body.preferences.length > 0)
      await trx
        .insertInto('notification_preferences')
        .values(
          body.preferences.map((choice) => ({
            tenant_id: tenantId,
            customer_id: customerId,
            event: choice.event,
            channel: choice.channel,
            enabled: choice.enabled,
            updated_at: now,
          })),
        )
        .onConflict((conflict) =>
          conflict
            .columns(['tenant_id', 'customer_id', 'event', 'channel'])
            .doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: now })),
        )
        .execute();
    if (body.smsNumber !== undefined)
      await trx
        .updateTable('customers')
        .set({ sms_number: body.smsNumber, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', customerId)
        .execute();
    const after = (await readNotificationPreferences(trx, tenantId, customerId)) as Preferences;
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'customer.notification_preferences_set',
      objectType: 'customer',
      objectId: customerId,
      before: { smsNumber: before.smsNumber, changed: changedOf(before, body) },
      after: { smsNumber: after.smsNumber, changed: body.preferences },
      occurredAt: now,
    });
    return { ok: true as const, preferences: after };
  });
}

/** The earlier state of the choices being changed, for the audit entry. */
function changedOf(before: Preferences, body: SetPreferencesBody) {
  return body.preferences.map((choice) => ({
    event: choice.event,
    channel: choice.channel,
    enabled:
      before.preferences.find((p) => p.event === choice.event && p.channel === choice.channel)?.enabled ??
      null,
  }));
}
