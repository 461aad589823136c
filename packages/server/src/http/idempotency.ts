import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;
/** How long a duplicate waits for the first request with its key to finish before giving up. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 25;

/**
 * Idempotency-Key on POST (DESIGN.md section 6): the first request with a key runs and its
 * response (errors included) is stored; a later request with the same key and the same method,
 * path and body gets the stored response again; the same key with another request is 409.
 * Concurrent duplicates are ordered by the primary key of idempotency_keys: one inserts the key
 * and runs, the others wait for its response.
 */
export function registerIdempotency(app: FastifyInstance, db: Kysely<Database>): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = request.headers[HEADER];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new HttpProblem(
        'validation_failed',
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters`,
        [{ field: 'header:Idempotency-Key', message: 'invalid' }],
      );
    }
    const tenantId = request.auth?.tenantId;
    if (tenantId === undefined) return;
    const requestHash = hashRequest(request);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        tenant_id: tenantId,
        key,
        request_hash: requestHash,
        status: 'in_progress',
        response_status: null,
        response_body: null,
      })
      .onConflict((c) => c.columns(['tenant_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted !== undefined) {
      request.idempotencyKey = key;
      return;
    }
    await replayStored(db, tenantId, key, requestHash, reply);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    const tenantId = request.auth?.tenantId;
    if (key === undefined || tenantId === undefined) return payload;
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null);
    await db
      .updateTable('idempotency_keys')
      .set({
        status: 'completed',
        response_status: reply.statusCode,
        response_body: body.length > 0 ? body : 'null',
      })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .execute();
    return payload;
  });
}

async function replayStored(
  db: Kysely<Database>,
  tenantId: string,
  key: string,
  requestHash: string,
  reply: FastifyReply,
): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const stored = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'response_status', 'response_body'])
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== requestHash) {
      throw new HttpProblem(
        'idempotency_key_reused',
        `Idempotency-Key "${key}" was first used for a different request`,
      );
    }
    if (stored.status === 'completed') {
      const status = stored.response_status ?? 200;
      reply.header('idempotent-replayed', 'true');
      reply.status(status).type(status >= 400 ? 'application/problem+json' : 'application/json');
      // The stored bytes, as first sent: no second serialisation.
      await reply.send(Buffer.from(stored.response_body ?? 'null'));
      return;
    }
    if (Date.now() > deadline) {
      throw new HttpProblem(
        'idempotency_key_in_progress',
        `a request with Idempotency-Key "${key}" is still running; retry later`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? request.url}\n`)
    .update(request.url)
    .update('\n')
    .update(canonicalJson(withoutSecrets(request.body ?? null)))
    .digest('hex');
}

/**
 * Passwords and tokens are left out of the request hash: a plain SHA-256 over a body holding a
 * password could be brute-forced from a stolen database. A retry that differs only in a secret
 * replays the first response instead of answering 409, which is harmless.
 */
const SECRET_FIELD = /password|token|secret/i;

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      SECRET_FIELD.test(key) ? '[secret]' : withoutSecrets(field),
    ]),
  );
}
