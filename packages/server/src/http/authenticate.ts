import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { authenticateApiKey, roleAllows } from '../auth/api-keys.js';
import type { ApiKeyRole, Database } from '../db/database-schema.js';
import { authenticateSession, SESSION_COOKIE } from '../users/authenticate-session.js';
import type { UserRole } from '../users/user-tables.js';
import { HttpProblem } from './problem.js';

/** A caller's role: a staff role (API key or staff user), or `customer`, which grants no staff role. */
export type CallerRole = UserRole;

export interface RequestAuth {
  readonly tenantId: string;
  readonly role: CallerRole;
  readonly actor: Actor;
  /** For a customer user: the one customer whose data they may see. */
  readonly customerId?: string;
  /** For a user signed in with a session cookie. */
  readonly session?: { readonly id: string; readonly userId: string; readonly expiresAt: Date };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
  interface FastifyContextConfig {
    /**
     * The least staff role a caller needs for this route, from an API key or a staff user's
     * session; customer users hold none. Routes with neither this nor `userSession` are public.
     */
    role?: ApiKeyRole;
    /** For routes about the signed-in user themself (GET /v1/me, sign-out): any user's session, customers included; API keys are refused. */
    userSession?: true;
  }
}

const NO_CREDENTIALS =
  'send an API key as `Authorization: Bearer <key>`, or sign in (POST /v1/sessions) for a session cookie';

/**
 * Authentication for every route that declares a role or `userSession`, by one of:
 * - an API key, `Authorization: Bearer tg_...`, which wins when present (a bad one is 401, never a
 *   fall-back to the cookie);
 * - a user's session, the `tollgate_session` cookie set at sign-in.
 * Missing, unknown, revoked or expired credentials are 401; a role below the route's is 403.
 */
export function registerAuthentication(app: FastifyInstance, db: Kysely<Database>, now: () => Date): void {
  // At the root, so every route parses and sets cookies alike (reply.setCookie in the session routes).
  app.register(fastifyCookie);
  app.addHook('onRequest', async (request) => {
    const { role: needed, userSession } = request.routeOptions.config;
    if (needed === undefined && userSession !== true) return;
    const auth =
      request.headers.authorization === undefined
        ? await authenticateBySession(request, db, now())
        : await authenticateByApiKey(request.headers.authorization, db, now());
    if (userSession === true && auth.session === undefined)
      throw new HttpProblem('forbidden', 'this is for signed-in users; an API key has no user');
    if (needed !== undefined && !callerHasRole(auth.role, needed)) {
      const holder = auth.session === undefined ? 'the key' : 'the user';
      throw new HttpProblem('forbidden', `this needs the ${needed} role; ${holder} has ${auth.role}`);
    }
    request.auth = auth;
  });
}

async function authenticateByApiKey(header: string, db: Kysely<Database>, now: Date): Promise<RequestAuth> {
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  if (presented === undefined)
    throw new HttpProblem('unauthenticated', 'send an API key as `Authorization: Bearer <key>`');
  const identity = await authenticateApiKey(db, presented, now);
  if (identity === null) throw new HttpProblem('unauthenticated', 'the API key is unknown or revoked');
  return { tenantId: identity.tenantId, role: identity.role, actor: { type: 'api_key', id: identity.keyId } };
}

async function authenticateBySession(
  request: FastifyRequest,
  db: Kysely<Database>,
  now: Date,
): Promise<RequestAuth> {
  // Parsed here rather than read from request.cookies: this hook may run before the cookie plugin's.
  const header = request.headers.cookie;
  const token = header === undefined ? undefined : request.server.parseCookie(header)[SESSION_COOKIE];
  if (token === undefined || token === '') throw new HttpProblem('unauthenticated', NO_CREDENTIALS);
  const identity = await authenticateSession(db, token, now);
  if (identity === null)
    throw new HttpProblem('unauthenticated', 'the session has ended or expired; sign in again');
  return {
    tenantId: identity.tenantId,
    role: identity.role,
    actor: { type: 'user', id: identity.userId },
    ...(identity.customerId === null ? {} : { customerId: identity.customerId }),
    session: { id: identity.sessionId, userId: identity.userId, expiresAt: identity.expiresAt },
  };
}

/** Staff roles are ordered (roleAllows); the customer role satisfies none of them. */
export function callerHasRole(role: CallerRole, needed: ApiKeyRole): boolean {
  return role !== 'customer' && roleAllows(role, needed);
}

/** The caller of an authenticated route (a bug if called on a public one). */
export function authOf(request: { auth?: RequestAuth }): RequestAuth {
  if (request.auth === undefined) throw new Error('authOf: route has no role, so no caller');
  return request.auth;
}
