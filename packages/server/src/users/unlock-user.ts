import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { User } from './user-schemas.js';
import { findUser, toUser } from './user-store.js';

export type UnlockUserResult = { ok: true; user: User } | { ok: false; code: 'not_found' };

/** Lifts a lockout before it runs out and clears the failed-login count (an admin's call). */
export async function unlockUser(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  now: Date,
): Promise<UnlockUserResult> {
  return db.transaction().execute(async (trx): Promise<UnlockUserResult> => {
    const current = await findUser(trx, tenantId, id, true);
    if (current === undefined) return { ok: false, code: 'not_found' };
    const row = await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const user = toUser(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'user.unlocked',
      objectType: 'user',
      objectId: id,
      before: { lockedUntil: toUser(current).lockedUntil, failedLogins: current.failed_logins },
      after: { lockedUntil: null, failedLogins: 0 },
      occurredAt: now,
    });
    return { ok: true, user };
  });
}
