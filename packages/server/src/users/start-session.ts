import { type Kysely, sql } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hash.js';
import { createSecretToken, hashSecretToken } from './secret-token.js';
import type { SignInBody, User } from './user-schemas.js';
import { findUserByEmail, toUser, type UserRow } from './user-store.js';

/** Sessions end 12 hours after sign-in at the latest, whatever the activity (an absolute timeout). */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** This many wrong passwords in a row lock the account ... */
export const MAX_FAILED_LOGINS = 5;
/** ... for this long; then the count starts again. */
export const LOCKOUT_MS = 15 * 60 * 1000;

export type StartSessionResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; code: 'invalid_credentials' }
  | { ok: false; code: 'account_locked'; lockedUntil: Date };

const INVALID = { ok: false, code: 'invalid_credentials' } as const;

/**
 * Signs a user in with tenant, e-mail and password and opens a session, whose token is returned
 * once (for the cookie) and stored only as its SHA-256. An unknown tenant or e-mail and a wrong
 * password give the same answer after the same work (one argon2id verification), so neither the
 * answer nor its timing tells whether an account exists.
 *
 * Each attempt is counted before the password is checked, and refused unchecked while the account
 * is locked: so however many attempts arrive at once, on however many nodes, at most
 * MAX_FAILED_LOGINS passwords are tried per lockout period. A success clears the count.
 */
export async function startSession(
  db: Kysely<Database>,
  input: SignInBody,
  now: Date,
): Promise<StartSessionResult> {
  const row = await findUserByEmail(db, input.tenant, input.email);
  if (row === undefined) return verifyAgainstDummy(input.password).then(() => INVALID);
  const attempt = await countAttempt(db, row.id, now);
  if (!attempt.ok) return { ok: false, code: 'account_locked', lockedUntil: attempt.lockedUntil };
  if (!(await verifyPassword(input.password, row.password_hash))) {
    if (attempt.locks) await recordLock(db, row, attempt.lockedUntil, now);
    return INVALID;
  }
  // Hashes made with older parameters are redone while the password is at hand.
  const rehashed = needsRehash(row.password_hash) ? await hashPassword(input.password) : null;
  const token = createSecretToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  const user = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({
        failed_logins: 0,
        locked_until: null,
        ...(rehashed === null ? {} : { password_hash: rehashed }),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('sessions')
      .values({
        id: hashSecretToken(token),
        tenant_id: row.tenant_id,
        user_id: row.id,
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute();
    await recordAuditEntry(trx, {
      tenantId: row.tenant_id,
      actor: { type: 'user', id: row.id },
      action: 'session.started',
      objectType: 'user',
      objectId: row.id,
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
      occurredAt: now,
    });
    return toUser(updated);
  });
  return { ok: true, user, token, expiresAt };
}

type Attempt =
  | { ok: true; locks: false }
  | { ok: true; locks: true; lockedUntil: Date }
  | { ok: false; lockedUntil: Date };

/**
 * Counts one attempt in a single conditional UPDATE (atomic across nodes): refused while locked;
 * after an expired lock the count starts again; the MAX_FAILED_LOGINS-th attempt sets the lock,
 * which a correct password then clears.
 */
async function countAttempt(db: Kysely<Database>, userId: string, now: Date): Promise<Attempt> {
  const lockedUntil = new Date(now.getTime() + LOCKOUT_MS);
  const expired = sql<boolean>`(locked_until is not null and locked_until <= ${now})`;
  const counted = sql<number>`case when ${expired} then 1 else failed_logins + 1 end`;
  const row = await db
    .updateTable('users')
    .set({
      failed_logins: counted,
      locked_until: sql<Date | null>`case when ${counted} >= ${MAX_FAILED_LOGINS} then ${lockedUntil}::timestamptz else null end`,
    })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['failed_logins'])
    .executeTakeFirst();
  if (row === undefined) {
    const current = await db
      .selectFrom('users')
      .select('locked_until')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return { ok: false, lockedUntil: current.locked_until ?? lockedUntil };
  }
  return row.failed_logins >= MAX_FAILED_LOGINS
    ? { ok: true, locks: true, lockedUntil }
    : { ok: true, locks: false };
}

/** The attempt that locked the account failed: the lock stands, and is written to the audit log. */
async function recordLock(db: Kysely<Database>, row: UserRow, lockedUntil: Date, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ updated_at: now }).where('id', '=', row.id).execute();
    await recordAuditEntry(trx, {
      tenantId: row.tenant_id,
      actor: { type: 'system', id: 'sign-in' },
      action: 'user.locked',
      objectType: 'user',
      objectId: row.id,
      before: { lockedUntil: null },
      after: { lockedUntil: lockedUntil.toISOString(), failedLogins: MAX_FAILED_LOGINS },
      occurredAt: now,
    });
  });
}
