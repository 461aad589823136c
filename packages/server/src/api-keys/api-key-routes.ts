import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { AppContext } from '../http/app-context.js';
import { authOf } from '../http/authenticate.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, Page, PageQuery, pageOf } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';
import { ApiKeyListQuery, ApiKeySchema, CreateApiKeyBody, IssuedApiKeySchema } from './api-key-schemas.js';
import { findApiKey, toApiKey } from './api-key-store.js';
import { createApiKey } from './create-api-key.js';
import { revokeApiKey } from './revoke-api-key.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['api keys'];

/** API key management, for admins: issue (the key shown once), list, read, revoke. */
export function apiKeyRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { db, now } = context;
  return async (app) => {
    app.post(
      '/v1/api-keys',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Issue an API key (the key is in this answer only)',
          body: CreateApiKeyBody,
          response: { 201: IssuedApiKeySchema },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const result = await createApiKey(db, auth, request.body, now());
        if (!result.ok) throw new HttpProblem('forbidden', result.message);
        await storeReplayWithoutKey(db, request, result.apiKey);
        return reply.status(201).send({ ...result.apiKey, key: result.key });
      },
    );

    app.get(
      '/v1/api-keys',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'List API keys (never the keys themselves)',
          querystring: Type.Composite([PageQuery, ApiKeyListQuery], { additionalProperties: false }),
          response: { 200: Page(ApiKeySchema) },
        },
      },
      async (request) => {
        const { limit = DEFAULT_PAGE_SIZE, cursor, order = 'asc', status } = request.query;
        const after = decodeCursor(cursor);
        let query = db.selectFrom('api_keys').selectAll().where('tenant_id', '=', authOf(request).tenantId);
        if (status === 'active') query = query.where('revoked_at', 'is', null);
        if (status === 'revoked') query = query.where('revoked_at', 'is not', null);
        const rows = await keysetPage(query, after, order, limit + 1).execute();
        return pageOf(rows, limit, toApiKey);
      },
    );

    app.get(
      '/v1/api-keys/:id',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Read an API key', params: IdParams, response: { 200: ApiKeySchema } },
      },
      async (request) => {
        const row = await findApiKey(db, authOf(request).tenantId, request.params.id);
        if (row === undefined) throw new HttpProblem('not_found', `no API key ${request.params.id}`);
        return toApiKey(row);
      },
    );

    app.post(
      '/v1/api-keys/:id/revoke',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Revoke an API key: it authenticates nothing from now on',
          params: IdParams,
          response: { 200: ApiKeySchema },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const result = await revokeApiKey(db, auth.tenantId, auth.actor, request.params.id, now());
        if (!result.ok) throw new HttpProblem('not_found', `no API key ${request.params.id}`);
        return result.apiKey;
      },
    );
  };
}

/**
 * The idempotency layer stores each POST's answer to replay it; for a new key that answer holds the
 * key, which must never be stored. So this route completes its idempotency record itself, with the
 * answer less the key, and takes the request out of the layer's hands: a replay tells the client
 * which key its first request made (to use it, or revoke it if it was lost), never the key again.
 */
async function storeReplayWithoutKey(
  db: Kysely<Database>,
  request: FastifyRequest,
  replay: object,
): Promise<void> {
  const key = request.idempotencyKey;
  if (key === undefined) return;
  delete request.idempotencyKey;
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'completed', response_status: 201, response_body: JSON.stringify(replay) })
    .where('tenant_id', '=', authOf(request).tenantId)
    .where('key', '=', key)
    .execute();
}
