import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { authenticateApiKey, roleAllows } from '../auth/api-keys.js';
import type { ApiKeyRole, Database } from '../db/database-schema.js';
import { HttpProblem } from './problem.js';

export interface RequestAuth {
  readonly tenantId: string;
  readonly role: ApiKeyRole;
  readonly actor: Actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
  interface FastifyContextConfig {
    /** The least role a caller needs for this route; routes without one are public. */
    role?: ApiKeyRole;
  }
}

/**
 * API-key authentication for every route that declares a role: `Authorization: Bearer tg_...`.
 * An unknown, revoked or missing key is 401; a key whose role is below the route's is 403.
 */
export function registerAuthentication(app: FastifyInstance, db: Kysely<Database>, now: () => Date): void {
  app.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config.role;
    if (needed === undefined) return;
    const header = request.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (presented === undefined)
      throw new HttpProblem('unauthenticated', 'send an API key as `Authorization: Bearer <key>`');
    const identity = await authenticateApiKey(db, presented, now());
    if (identity === null) throw new HttpProblem('unauthenticated', 'the API key is unknown or revoked');
    if (!roleAllows(identity.role, needed)) {
      throw new HttpProblem('forbidden', `this needs the ${needed} role; the key has ${identity.role}`);
    }
    request.auth = {
      tenantId: identity.tenantId,
      role: identity.role,
      actor: { type: 'api_key', id: identity.keyId },
    };
  });
}

/** The caller of an authenticated route (a bug if called on a public one). */
export function authOf(request: { auth?: RequestAuth }): RequestAuth {
  if (request.auth === undefined) throw new Error('authOf: route has no role, so no caller');
  return request.auth;
}
