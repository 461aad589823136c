import type { Kysely } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { queueNotification } from '../notifications/queue-notification.js';
import { createSecretToken, hashSecretToken } from './secret-token.js';
import type { PasswordResetRequestBody } from './user-schemas.js';
import { findUserByEmail } from './user-store.js';

/** A reset token works for one hour, once. */
export const RESET_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** The portal's address when the caller gives none: `serve` with its default settings. */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

export interface PasswordResetDelivery {
  /** Where users reach the portal (TOLLGATE_PUBLIC_URL): the link is <publicUrl>/reset-password?token=... */
  readonly publicUrl: string;
}

export interface IssuedResetToken {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  /** For delivery to the user's e-mail address; stored only as its SHA-256. */
  readonly token: string;
  readonly expiresAt: Date;
}

/** The portal page that takes the token (packages/portal: /reset-password). */
export function resetLinkOf(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/reset-password?token=${encodeURIComponent(token)}`;
}

/**
 * Issues a password reset token for the user with this tenant and e-mail, or nothing when there is
 * no such user. The HTTP answer is the same either way (202, no body), so it tells nobody which
 * addresses have accounts; the token goes to the user's own e-mail address, never in the answer.
 *
 * The email (event password_reset: urgent, so quiet hours never hold it, and required, so no
 * preference stops it) is queued in the transaction that stores the token: both exist, or
 * neither. It goes to the user's address even when their customer's bills go elsewhere. The
 * token is kept only as its hash, except in that message: the message log (notifications table)
 * holds the rendered email, link and token included, until the token is used or expires, an hour
 * later (the sender needs it until the email is sent). So the token is not in the message's data,
 * and the log's API and CLI show such messages with it redacted (notification-store.ts); a
 * database reader could still take the link within that hour, as they could read any mail queued.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  input: PasswordResetRequestBody,
  now: Date,
  delivery: PasswordResetDelivery = { publicUrl: DEFAULT_PUBLIC_URL },
): Promise<IssuedResetToken | null> {
  const user = await findUserByEmail(db, input.tenant, input.email);
  if (user === undefined) return null;
  const token = createSecretToken();
  const tokenHash = hashSecretToken(token);
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_reset_tokens')
      .values({
        token_hash: tokenHash,
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
    await queueNotification(trx, {
      tenantId: user.tenant_id,
      user: { userId: user.id, email: user.email, customerId: user.customer_id },
      event: 'password_reset',
      data: { expiresAt: expiresAt.toISOString() },
      secretData: { resetUrl: resetLinkOf(delivery.publicUrl, token) },
      // The token's hash names the message (one per token); the hash reveals nothing of the token.
      sourceKey: `password_reset:${tokenHash}`,
      urgent: true,
      occurredAt: now,
    });
  });
  return { tenantId: user.tenant_id, userId: user.id, email: user.email, token, expiresAt };
}
