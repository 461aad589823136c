import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { QuietHoursBody } from './notification-schemas.js';

export interface QuietHoursView {
  readonly customerId: string;
  readonly quietHours: { readonly start: string; readonly end: string } | null;
}

/**
 * Sets (or with null, removes) the local hours in which a customer gets no message that is not
 * urgent; messages queued then wait for the end. Applies to messages queued from now on. Audited.
 */
export async function setQuietHours(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerId: string,
  body: QuietHoursBody,
  now: Date,
): Promise<{ readonly ok: true; readonly quietHours: QuietHoursView } | UseCaseFailure> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('customers')
      .select(['quiet_hours_start', 'quiet_hours_end'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    if (current === undefined) return notFound(`no customer ${customerId}`);
    await trx
      .updateTable('customers')
      .set({ quiet_hours_start: body?.start ?? null, quiet_hours_end: body?.end ?? null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', customerId)
      .execute();
    const before =
      current.quiet_hours_start === null || current.quiet_hours_end === null
        ? null
        : { start: current.quiet_hours_start, end: current.quiet_hours_end };
    const after = body === null ? null : { start: body.start, end: body.end };
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'customer.quiet_hours_set',
      objectType: 'customer',
      objectId: customerId,
      before: { quietHours: before },
      after: { quietHours: after },
      occurredAt: now,
    });
    return { ok: true as const, quietHours: { customerId, quietHours: after } };
  });
}

/** A customer's quiet hours as set, or null when they have none; undefined: no such customer. */
export async function readQuietHours(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
): Promise<{ customerId: string; quietHours: { start: string; end: string } | null } | undefined> {
  const row = await db
    .selectFrom('customers')
    .select(['quiet_hours_start', 'quiet_hours_end'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const quietHours =
    row.quiet_hours_start === null || row.quiet_hours_end === null
      ? null
      : { start: row.quiet_hours_start, end: row.quiet_hours_end };
  return { customerId, quietHours };
}
