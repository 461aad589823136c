import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { apiKeyRoutes } from '../api-keys/api-key-routes.js';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { createUser } from './create-user.js';
import { passwordResetRoutes } from './password-reset-routes.js';
import { sessionRoutes } from './session-routes.js';
import { unlockUser } from './unlock-user.js';
import { CreateUserBody, UserListQuery, UserSchema } from './user-schemas.js';
import { findUser, normaliseEmail, toUser } from './user-store.js';

export interface UserRouteOptions extends AppContext {
  /**
   * Whether the session cookie is `Secure` (sent over HTTPS only). Default true; false is for
   * plain-HTTP development and tests only.
   */
  readonly secureCookies?: boolean | undefined;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['users'];

/** Portal users (admins manage them), their sessions and password resets, and API keys. */
export function userRoutes(options: UserRouteOptions): FastifyPluginAsyncTypebox {
  const { db, now } = options;
  return async (app) => {
    await app.register(sessionRoutes(options));
    await app.register(passwordResetRoutes(options));
    await app.register(apiKeyRoutes(options));

    app.post(
      '/v1/users',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create a staff or customer user with an initial password',
          body: CreateUserBody,
          response: { 201: UserSchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createUser(db, auth.tenantId, auth.actor, request.body, now());
        if (result.ok) return reply.status(201).send(result.user);
        const code =
          result.code === 'email_taken'
            ? 'conflict'
            : result.code === 'customer_not_found'
              ? 'not_found'
              : 'validation_failed';
        throw new HttpProblem(code, result.message, [{ field: result.field, message: result.message }]);
      },
    );

    app.get(
      '/v1/users/:id',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Read a user', params: IdParams, response: { 200: UserSchema } },
      },
      async (request) => {
        const row = await findUser(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no user ${request.params.id}`);
        return toUser(row);
      },
    );

    app.post(
      '/v1/users/:id/unlock',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Lift a lockout after failed sign-ins',
          params: IdParams,
          response: { 200: UserSchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await unlockUser(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw new HttpProblem('not_found', `no user ${request.params.id}`);
        return result.user;
      },
    );

    app.get(
      '/v1/users',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'List users',
          querystring: Type.Composite([PageQuery, UserListQuery], { additionalProperties: false }),
          response: { 200: Page(UserSchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', kind, email } = request.query;
        const after = decodeCursor(cursor);
        let query = db.selectFrom('users').selectAll().where('tenant_id', '=', authOf(request).tenantId);
        if (kind !== undefined) query = query.where('kind', '=', kind);
        if (email !== undefined) query = query.where('email', '=', normaliseEmail(email));
        const rows = await keysetPage(query, after, order, limit + 1).execute();
        return pageOf(rows, limit, toUser);
      },
    );
  };
}
