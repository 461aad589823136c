import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { authenticateApiKey, roleAllows } from '../auth/api-keys.js';
import type { ApiKeyRole, Database } from '../db/database-schema.js';
import { authenticateSession, SESSION_COOKIE } from '../users/authenticate-session.js';
import type { UserRole } from '../users/user-tables.js';
import { customerOwns } from './customer-access.js';
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
    /**
     * Opens a staff route to a signed-in customer user for what is their own: the resource named
     * by `param` (a path parameter, or a query parameter when `in` is 'query') must belong to the
     * caller's customer, else the answer is 404 not_found as for a resource that does not exist.
     * Staff callers are unaffected (they still need `role`).
     * A list names alternatives (a list filtered by account or by line): at least one of the
     * parameters must be given, and each one given must name something of the caller's.
     */
    customerAccess?: CustomerAccess | readonly CustomerAccess[];
  }
}

/** The kinds of resource a customer can own, each traced to a customer id. */
export type OwnedKind = 'customer' | 'account' | 'subscription' | 'invoice' | 'payment' | 'rated_usage';

export interface CustomerAccess {
  readonly kind: OwnedKind;
  readonly param: string;
  readonly in?: 'params' | 'query';
}

const NO_CREDENTIALS =
  'send an API key as `Authorization: Bearer <key>`, or sign in (POST /v1/sessions) for a session cookie';

/**
 * Authentication for every route that declares a role or `userSession`, by one of:
 * - an API key, `Authorization: Bearer tg_...`, which wins when present (a bad one is 401, never a
 *   fall-back to the cookie);
 * - a user's session, the `tollgate_session` cookie set at sign-in.
 * Missing, unknown, revoked or expired credentials are 401; a role below the route's is 403.
 * A customer user on a route with `customerAccess` is let through for what is their own and gets
 * 404 for anything else (see checkCustomerAccess).
 */
export function registerAuthentication(app: FastifyInstance, db: Kysely<Database>, now: () => Date): void {
  // At the root, so every route parses and sets cookies alike (reply.setCookie in the session routes).
  app.register(fastifyCookie);
  app.addHook('onRequest', async (request) => {
    const { role: needed, userSession, customerAccess } = request.routeOptions.config;
    if (needed === undefined && userSession !== true) return;
    const auth =
      request.headers.authorization === undefined
        ? await authenticateBySession(request, db, now())
        : await authenticateByApiKey(request.headers.authorization, db, now());
    if (userSession === true && auth.session === undefined)
      throw new HttpProblem('forbidden', 'this is for signed-in users; an API key has no user');
    if (needed !== undefined && !callerHasRole(auth.role, needed)) {
      const customer = customerCaller(auth);
      if (customerAccess === undefined || customer === null) {
        const holder = auth.session === undefined ? 'the key' : 'the user';
        throw new HttpProblem('forbidden', `this needs the ${needed} role; ${holder} has ${auth.role}`);
      }
      await checkCustomerAccess(db, customer, customerAccess, {
        params: request.params,
        query: request.query,
      });
    }
    request.auth = auth;
  });
}

/** The customer a caller acts for: only a customer user's session, never an API key. */
function customerCaller(auth: RequestAuth): { tenantId: string; customerId: string } | null {
  if (auth.role !== 'customer' || auth.session === undefined || auth.customerId === undefined) return null;
  return { tenantId: auth.tenantId, customerId: auth.customerId };
}

/** Whether the caller is a customer user (the routes that treat customers apart ask this). */
export function isCustomerCaller(auth: RequestAuth): boolean {
  return customerCaller(auth) !== null;
}

/**
 * The gate of a customer on a staff route: every resource the route names must be the caller's,
 * else 404, worded as for a resource that does not exist, so a customer cannot learn which ids
 * exist for others (the same rule as between tenants). A parameter that is missing, repeated or
 * malformed names nothing of theirs: 404 too.
 */
async function checkCustomerAccess(
  db: Kysely<Database>,
  customer: { tenantId: string; customerId: string },
  access: CustomerAccess | readonly CustomerAccess[],
  request: { params: unknown; query: unknown },
): Promise<void> {
  const alternatives: readonly CustomerAccess[] = isAccessList(access) ? access : [access];
  const named = alternatives.flatMap((one) => {
    const source = (one.in === 'query' ? request.query : request.params) as Record<string, unknown> | null;
    const value = source?.[one.param];
    return value === undefined ? [] : [{ kind: one.kind, value }];
  });
  if (named.length === 0)
    throw new HttpProblem(
      'not_found',
      `name one of ${alternatives.map((one) => one.param).join(', ')} of your own`,
    );
  for (const { kind, value } of named) {
    const owned = typeof value === 'string' && (await customerOwns(db, customer, kind, value));
    if (!owned) throw new HttpProblem('not_found', `no ${kind.replace('_', ' ')} ${String(value)}`);
  }
}

function isAccessList(
  access: CustomerAccess | readonly CustomerAccess[],
): access is readonly CustomerAccess[] {
  return Array.isArray(access);
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
