import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { MeSchema } from '../accounts/my-account-schemas.js';
import { readMyProfile } from '../accounts/read-my-profile.js';
import { authOf } from '../http/authenticate.js';
import { HttpProblem } from '../http/problem.js';
import { SESSION_COOKIE } from './authenticate-session.js';
import { endSession } from './end-session.js';
import { LOCKOUT_MS, MAX_FAILED_LOGINS, SESSION_LIFETIME_MS, startSession } from './start-session.js';
import type { UserRouteOptions } from './user-routes.js';
import { SignedInSchema, SignInBody } from './user-schemas.js';

const tags = ['sessions'];

/**
 * Sign-in attempts per minute from one address, on top of the per-account lockout: each attempt
 * costs an argon2id verification, so this also bounds the work one address can make the server do.
 */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 60;

/**
 * The rate limit of the public session and password-reset routes: per client address only. (The
 * app-wide limit keys on the Authorization header when there is one, which these routes ignore: a
 * made-up header per request would otherwise give every request a fresh allowance.)
 */
export const PUBLIC_ROUTE_RATE_LIMIT = {
  max: SIGN_IN_ATTEMPTS_PER_MINUTE,
  timeWindow: '1 minute',
  keyGenerator: (request: FastifyRequest) => request.ip,
};

/** Sign-in, sign-out and the signed-in user, for the portal: sessions in an HttpOnly cookie. */
export function sessionRoutes(options: UserRouteOptions): FastifyPluginAsyncTypebox {
  const { db, now } = options;
  const cookie = {
    httpOnly: true,
    // Only plain-HTTP development and tests turn this off (browsers keep Secure cookies on http://localhost anyway).
    secure: options.secureCookies ?? true,
    sameSite: 'lax',
    path: '/',
  } as const;
  return async (app) => {
    app.post(
      '/v1/sessions',
      {
        config: { rateLimit: PUBLIC_ROUTE_RATE_LIMIT },
        schema: {
          tags,
          summary: 'Sign in: sets the tollgate_session cookie',
          description: `A wrong e-mail and a wrong password answer alike (401). ${MAX_FAILED_LOGINS} wrong passwords in a row lock the account for ${LOCKOUT_MS / 60_000} minutes (423 account_locked).`,
          security: [],
          body: SignInBody,
          response: { 201: SignedInSchema },
        },
      },
      async (request, reply) => {
        const result = await startSession(db, request.body, now());
        if (!result.ok) {
          if (result.code === 'account_locked')
            throw new HttpProblem(
              'account_locked',
              `too many failed sign-ins; try again after ${result.lockedUntil.toISOString()} or reset the password`,
            );
          throw new HttpProblem('unauthenticated', 'the e-mail address or the password is wrong');
        }
        reply.setCookie(SESSION_COOKIE, result.token, {
          ...cookie,
          maxAge: SESSION_LIFETIME_MS / 1000,
          expires: result.expiresAt,
        });
        reply.header('cache-control', 'no-store');
        return reply.status(201).send({ user: result.user, expiresAt: result.expiresAt.toISOString() });
      },
    );

    app.post(
      '/v1/sessions/current/end',
      {
        config: { userSession: true },
        schema: { tags, summary: 'Sign out: ends this session and clears its cookie' },
      },
      async (request, reply) => {
        const auth = authOf(request);
        if (auth.session !== undefined)
          await endSession(
            db,
            { sessionId: auth.session.id, tenantId: auth.tenantId, userId: auth.session.userId },
            now(),
          );
        reply.clearCookie(SESSION_COOKIE, cookie);
        return reply.status(204).send();
      },
    );

    app.get(
      '/v1/me',
      {
        config: { userSession: true },
        schema: {
          tags,
          summary: 'The signed-in user, and the customer a customer user acts for',
          description:
            'For a customer user, `customer` holds their name, language and locale (set with PATCH /v1/me).',
          response: { 200: MeSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const session = auth.session;
        const me =
          session === undefined
            ? undefined
            : await readMyProfile(db, auth.tenantId, session.userId, session.expiresAt);
        if (me === undefined) throw new HttpProblem('not_found', 'no signed-in user');
        return me;
      },
    );
  };
}
