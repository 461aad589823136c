import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { createSecretToken, hashSecretToken } from './secret-token.js';
import type { PasswordResetRequestBody } from './user-schemas.js';
import { findUserByEmail } from './user-store.js';

/** A reset token works for one hour, once. */
export const RESET_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface IssuedResetToken {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  /** For delivery to the user's e-mail address; stored only as its SHA-256. */
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * Issues a password reset token for the user with this tenant and e-mail, or nothing when there is
 * no such user. The HTTP answer is the same either way (202, no body), so it tells nobody which
 * addresses have accounts; the token goes to the user by a separate channel, never in the answer.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  input: PasswordResetRequestBody,
  now: Date,
): Promise<IssuedResetToken | null> {
  const user = await findUserByEmail(db, input.tenant, input.email);
  if (user === undefined) return null;
  const token = createSecretToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_reset_tokens')
      .values({
        token_hash: hashSecretToken(token),
        tenant_id: user.tenant_id,
        user_id: user.id,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await recordAuditEntry(trx, {
      tenantId: user.tenant_id,
      actor: { type: 'system', id: 'password-reset' },
      action: 'user.password_reset_requested',
      objectType: 'user',
      objectId: user.id,
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
      occurredAt: now,
    });
  });
  return { tenantId: user.tenant_id, userId: user.id, email: user.email, token, expiresAt };
}
