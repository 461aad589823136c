import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { hashSecretToken, isWellFormedToken } from './secret-token.js';
import type { UserRole } from './user-tables.js';

/** The cookie that carries a session token: HttpOnly, Secure, SameSite=Lax, Path=/. */
export const SESSION_COOKIE = 'tollgate_session';

export interface SessionIdentity {
  /** SHA-256 of the token: the sessions row. */
  readonly sessionId: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly role: UserRole;
  /** The customer of a customer user; null for staff. */
  readonly customerId: string | null;
  readonly expiresAt: Date;
}

/**
 * The user behind a presented session token, or null when the token is malformed, unknown, ended
 * or expired. Looked up by the token's SHA-256 in the primary key, as API keys are.
 */
export async function authenticateSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<SessionIdentity | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) =>
      join.onRef('users.id', '=', 'sessions.user_id').onRef('users.tenant_id', '=', 'sessions.tenant_id'),
    )
    .select([
      'sessions.id as sessionId',
      'sessions.tenant_id as tenantId',
      'sessions.expires_at as expiresAt',
      'users.id as userId',
      'users.role as role',
      'users.customer_id as customerId',
    ])
    .where('sessions.id', '=', hashSecretToken(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  return row ?? null;
}
