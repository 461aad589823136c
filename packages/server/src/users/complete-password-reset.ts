import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { checkPasswordRules } from './check-password-rules.js';
import { hashPassword } from './password-hash.js';
import { hashSecretToken, isWellFormedToken } from './secret-token.js';
import type { PasswordResetCompleteBody } from './user-schemas.js';

export type CompletePasswordResetResult =
  | { ok: true; userId: string; sessionsEnded: number }
  | { ok: false; code: 'invalid_token' }
  | { ok: false; code: 'invalid_password'; message: string };

const INVALID_TOKEN = { ok: false, code: 'invalid_token' } as const;

/**
 * Sets a new password with a reset token. The token works once and within its hour; a password that
 * breaks the rules leaves the token unused, so the user can try another. The reset ends every
 * session of the user (whoever knew the old password is signed out) and lifts a lockout (the user
 * has just proved they read their mail).
 */
export async function completePasswordReset(
  db: Kysely<Database>,
  input: PasswordResetCompleteBody,
  now: Date,
): Promise<CompletePasswordResetResult> {
  if (!isWellFormedToken(input.token)) return INVALID_TOKEN;
  const tokenHash = hashSecretToken(input.token);
  const pending = await db
    .selectFrom('password_reset_tokens')
    .innerJoin('users', 'users.id', 'password_reset_tokens.user_id')
    .select(['users.id as userId', 'users.tenant_id as tenantId', 'users.email as email'])
    .where('password_reset_tokens.token_hash', '=', tokenHash)
    .where('password_reset_tokens.used_at', 'is', null)
    .where('password_reset_tokens.expires_at', '>', now)
    .executeTakeFirst();
  if (pending === undefined) return INVALID_TOKEN;
  const problem = checkPasswordRules(input.newPassword, pending.email);
  if (problem !== null) return { ok: false, code: 'invalid_password', message: problem };
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx): Promise<CompletePasswordResetResult> => {
    // Consumed by a conditional update: of two requests racing with one token, one wins.
    const consumed = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (consumed === undefined) return INVALID_TOKEN;
    await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('user_id', '=', pending.userId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: now })
      .where('id', '=', pending.userId)
      .execute();
    const ended = await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', pending.userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('id')
      .execute();
    await recordAuditEntry(trx, {
      tenantId: pending.tenantId,
      actor: { type: 'user', id: pending.userId },
      action: 'user.password_reset',
      objectType: 'user',
      objectId: pending.userId,
      before: null,
      after: { sessionsEnded: ended.length },
      occurredAt: now,
    });
    return { ok: true, userId: pending.userId, sessionsEnded: ended.length };
  });
}
