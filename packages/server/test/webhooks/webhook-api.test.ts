import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordWebhookEvent } from '../../src/webhooks/record-webhook-event.js';
import { startWebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { type ApiHarness, bearer, openApiHarness } from '../api/api-fixtures.js';
import { DATABASE_LABEL } from '../test-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const SECRET = /^whsec_[A-Za-z0-9_-]{43}$/;

/** /v1/webhook-endpoints, /v1/webhook-events and the replays, through the API with keys of every role. */
describe(`webhook API (${DATABASE_LABEL})`, () => {
  let h: ApiHarness;
  let receiver: WebhookReceiver;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    h = await openApiHarness();
    receiver = await startWebhookReceiver({
      secretFor: (path) => secrets.get(path),
      nowMs: () => Date.now(),
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
  });

  const as = (role: 'admin' | 'operator' | 'support' | 'read-only', tenant = h.tenant) =>
    bearer(tenant.keys[role]);

  const createEndpoint = async (path: string, eventTypes?: string[]) => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: as('admin'),
      payload: {
        url: `${receiver.url}${path}`,
        description: `test ${path}`,
        ...(eventTypes ? { eventTypes } : {}),
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    secrets.set(path, body.secret);
    return body as { id: string; secret: string; status: string; eventTypes: string[] };
  };

  const record = (
    type: 'invoice.paid' | 'payment.succeeded' | 'balance.low',
    data: Record<string, unknown> = {},
  ) =>
    h.database.db
      .transaction()
      .execute((trx) =>
        recordWebhookEvent(trx, { tenantId: h.tenant.id, type, data, occurredAt: new Date() }),
      );

  it('shows the secret when the endpoint is created, and never again', async () => {
    const created = await createEndpoint('/shown-once');
    expect(created.secret).toMatch(SECRET);
    expect(created).toMatchObject({ status: 'active', eventTypes: ['*'] });
    const read = await h.app.inject({
      method: 'GET',
      url: `/v1/webhook-endpoints/${created.id}`,
      headers: as('read-only'),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    expect(read.body).not.toContain(created.secret);
    const list = await h.app.inject({
      method: 'GET',
      url: '/v1/webhook-endpoints',
      headers: as('read-only'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    expect(list.json().items.map((e: { id: string }) => e.id)).toContain(created.id);
    const audit = await h.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('object_id', '=', created.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook_endpoint.created']);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it('leaves the secret out of a replayed create (same Idempotency-Key)', async () => {
    const request = {
      method: 'POST' as const,
      url: '/v1/webhook-endpoints',
      headers: { ...as('admin'), 'idempotency-key': 'create-endpoint-1' },
      payload: { url: `${receiver.url}/idempotent` },
    };
    const first = await h.app.inject(request);
    expect(first.statusCode).toBe(201);
    expect(first.json().secret).toMatch(SECRET);
    const again = await h.app.inject(request);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(again.body).not.toContain(first.json().secret);
    const stored = await h.database.db.selectFrom('idempotency_keys').select('response_body').execute();
    expect(JSON.stringify(stored)).not.toContain(first.json().secret);
  });

  it('enforces roles: admin manages endpoints, operator replays, read-only reads', async () => {
    const payload = { url: `${receiver.url}/roles` };
    for (const role of ['operator', 'support', 'read-only'] as const) {
      const refused = await h.app.inject({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        headers: as(role),
        payload,
      });
      expect([role, refused.statusCode]).toEqual([role, 403]);
    }
    const endpoint = await createEndpoint('/roles');
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: as('operator'),
      payload: { status: 'disabled' },
    });
    expect(patch.statusCode).toBe(403);
    const rotate = await h.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/secret-rotation`,
      headers: as('operator'),
    });
    expect(rotate.statusCode).toBe(403);
    const eventId = await record('balance.low');
    const replayByReader = await h.app.inject({
      method: 'POST',
      url: `/v1/webhook-events/${eventId}/replay`,
      headers: as('support'),
    });
    expect(replayByReader.statusCode).toBe(403);
    const replayByOperator = await h.app.inject({
      method: 'POST',
      url: `/v1/webhook-events/${eventId}/replay`,
      headers: as('operator'),
    });
    expect(replayByOperator.statusCode).toBe(200);
    const events = await h.app.inject({ method: 'GET', url: '/v1/webhook-events', headers: as('read-only') });
    expect(events.statusCode).toBe(200);
  });

  it('documents the routes in the OpenAPI description', async () => {
    const spec = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const paths = Object.keys(spec.json().paths);
    for (const path of [
      '/v1/webhook-endpoints',
      '/v1/webhook-endpoints/{id}',
      '/v1/webhook-endpoints/{id}/secret-rotation',
      '/v1/webhook-endpoints/{id}/deliveries',
      '/v1/webhook-events',
      '/v1/webhook-events/{id}',
      '/v1/webhook-events/{id}/replay',
      '/v1/webhook-deliveries/{id}/replay',
    ])
      expect(paths).toContain(path);
  });

  it('refuses a URL that is not http(s) and event types that do not exist', async () => {
    for (const [payload, field] of [
      [{ url: 'ftp://example.com/hook' }, '/url'],
      [{ url: 'not a url' }, '/url'],
      [{ url: 'https://example.com/hook', eventTypes: ['invoice.payed'] }, '/eventTypes/0'],
      [{ url: 'https://example.com/hook', eventTypes: ['refund.*'] }, '/eventTypes/0'],
      [{ url: 'https://example.com/hook', eventTypes: ['*', '*'] }, '/eventTypes/1'],
      [{ url: 'https://example.com/hook', eventTypes: [] }, '/eventTypes'],
    ] as const) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        headers: as('admin'),
        payload,
      });
      expect([JSON.stringify(payload), response.statusCode, response.json().code]).toEqual([
        JSON.stringify(payload),
        400,
        'validation_failed',
      ]);
      expect(response.json().errors[0].field).toBe(field);
    }
    const families = await createEndpoint('/families', ['payment.*', 'invoice.paid']);
    expect(families.eventTypes).toEqual(['payment.*', 'invoice.paid']);
  });

  it('updates, disables (DELETE keeps the endpoint) and rotates the secret', async () => {
    const endpoint = await createEndpoint('/lifecycle');
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: as('admin'),
      payload: { description: null, eventTypes: ['invoice.paid'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      description: null,
      eventTypes: ['invoice.paid'],
      status: 'active',
    });
    const rotated = await h.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/secret-rotation`,
      headers: as('admin'),
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(SECRET);
    expect(rotated.json().secret).not.toBe(endpoint.secret);
    const deleted = await h.app.inject({
      method: 'DELETE',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: as('admin'),
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id: endpoint.id, status: 'disabled' });
    expect(deleted.json()).not.toHaveProperty('secret');
    const listed = await h.app.inject({
      method: 'GET',
      url: '/v1/webhook-endpoints?status=disabled',
      headers: as('read-only'),
    });
    expect(listed.json().items.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    const enabled = await h.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: as('admin'),
      payload: { status: 'active' },
    });
    expect(enabled.json().status).toBe('active');
    const actions = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', endpoint.id)
      .orderBy('sequence')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.updated',
      'webhook_endpoint.secret_rotated',
      'webhook_endpoint.updated',
      'webhook_endpoint.updated',
    ]);
    await h.app.inject({
      method: 'DELETE',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: as('admin'),
    });
  });

  it("lists events page by page, filters them by type, and hides other tenants' events", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await record('payment.succeeded', { n: i, paidInvoiceIds: [`inv-${i}`], nested: { amount: '1.50' } }),
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await h.app.inject({
        method: 'GET',
        url: `/v1/webhook-events?type=payment.succeeded&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        headers: as('read-only'),
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as { items: { id: string; type: string }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      expect(body.items.every((item) => item.type === 'payment.succeeded')).toBe(true);
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(ids);
    const one = await h.app.inject({
      method: 'GET',
      url: `/v1/webhook-events/${ids[2]}`,
      headers: as('read-only'),
    });
    expect(one.json()).toMatchObject({
      id: ids[2],
      type: 'payment.succeeded',
      tenantId: h.tenant.id,
      data: { n: 2, paidInvoiceIds: ['inv-2'], nested: { amount: '1.50' } },
    });
    expect(one.json().deliveries.length).toBeGreaterThan(0);
    const rival = await h.app.inject({
      method: 'GET',
      url: `/v1/webhook-events/${ids[2]}`,
      headers: as('admin', h.otherTenant),
    });
    expect(rival.statusCode).toBe(404);
    const rivalList = await h.app.inject({
      method: 'GET',
      url: '/v1/webhook-events',
      headers: as('admin', h.otherTenant),
    });
    expect(rivalList.json().items).toEqual([]);
  });

  it('shows deliveries with their attempts, and replays a delivery and an event by API', async () => {
    // Endpoints of the earlier tests are disabled here, so only this test's endpoint is sent to.
    await h.database.db.updateTable('webhook_endpoints').set({ status: 'disabled' }).execute();
    const endpoint = await createEndpoint('/replays', ['invoice.paid']);
    const eventId = await record('invoice.paid', { invoiceId: 'inv-9' });
    const dispatcher = startWebhookDispatcher(h.database.db, {
      now: () => new Date(),
      log: { error: () => undefined },
      pollMs: 3_600_000,
    });
    try {
      expect(await dispatcher.deliverDue()).toBe(1);
      const detail = await h.app.inject({
        method: 'GET',
        url: `/v1/webhook-events/${eventId}`,
        headers: as('read-only'),
      });
      expect(detail.statusCode).toBe(200);
      const [delivery] = detail.json().deliveries;
      expect(delivery).toMatchObject({
        endpointId: endpoint.id,
        status: 'delivered',
        attemptCount: 1,
        attempts: [{ attempt: 1, statusCode: 200, error: null }],
      });

      const replayed = await h.app.inject({
        method: 'POST',
        url: `/v1/webhook-deliveries/${delivery.id}/replay`,
        headers: as('operator'),
      });
      expect(replayed.statusCode, replayed.body).toBe(200);
      expect(replayed.json()).toMatchObject({
        id: delivery.id,
        status: 'pending',
        attemptCount: 1,
        deliveredAt: null,
      });
      expect(await dispatcher.deliverDue()).toBe(1);

      const replayedEvent = await h.app.inject({
        method: 'POST',
        url: `/v1/webhook-events/${eventId}/replay`,
        headers: as('operator'),
      });
      expect(replayedEvent.statusCode).toBe(200);
      expect(replayedEvent.json().deliveries).toMatchObject([{ id: delivery.id, status: 'pending' }]);
      expect(await dispatcher.deliverDue()).toBe(1);
      expect(receiver.verifiedEventIds().filter((id) => id === eventId)).toHaveLength(3);

      const log = await h.app.inject({
        method: 'GET',
        url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=delivered`,
        headers: as('read-only'),
      });
      expect(log.statusCode).toBe(200);
      expect(log.json().items).toMatchObject([
        {
          id: delivery.id,
          status: 'delivered',
          attemptCount: 3,
          attempts: [{ attempt: 1 }, { attempt: 2 }, { attempt: 3 }],
        },
      ]);
      const none = await h.app.inject({
        method: 'GET',
        url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=dead`,
        headers: as('read-only'),
      });
      expect(none.json().items).toEqual([]);
      const rival = await h.app.inject({
        method: 'POST',
        url: `/v1/webhook-deliveries/${delivery.id}/replay`,
        headers: as('admin', h.otherTenant),
      });
      expect(rival.statusCode).toBe(404);
    } finally {
      await dispatcher.stop();
    }
  });
});
