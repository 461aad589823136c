import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { createWebhookEndpoint } from '../../src/webhooks/create-webhook-endpoint.js';
import { recordWebhookEvent, type WebhookEventType } from '../../src/webhooks/record-webhook-event.js';
import { replayWebhookDelivery } from '../../src/webhooks/replay-webhook-delivery.js';
import { updateWebhookEndpoint } from '../../src/webhooks/update-webhook-endpoint.js';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { RETRY_WINDOW_MS } from '../../src/webhooks/webhook-retry-schedule.js';
import { createTestTenant } from '../api/api-fixtures.js';
import { DATABASE_LABEL, openTestDatabase, type TestDatabase } from '../test-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const ACTOR = { type: 'system', id: 'test' } as const;
const START = new Date('2026-03-02T10:00:00.000Z');
const MINUTE_MS = 60_000;

/**
 * The dispatcher against a real local receiver that verifies every signature: what is committed
 * is delivered once, what rolls back never; failures are logged attempts retried on the schedule
 * until the 3-day window ends; replays, timeouts, disabled endpoints, type filters, and two
 * dispatchers on one database. The clock is the test's own.
 */
describe(`webhook dispatcher (${DATABASE_LABEL})`, () => {
  let database: TestDatabase;
  let tenantId: string;
  let clock = START;
  const now = () => clock;
  const secrets = new Map<string, string>();
  let receiver: WebhookReceiver;
  const errors: unknown[] = [];
  const log = { error: (object: unknown) => errors.push(object), warn: () => undefined };
  const dispatchers: WebhookDispatcher[] = [];

  const dispatcher = (options: { timeoutMs?: number; batchSize?: number } = {}) => {
    const started = startWebhookDispatcher(database.db, { now, log, pollMs: 3_600_000, ...options });
    dispatchers.push(started);
    return started;
  };

  /** An endpoint at a path of the receiver, whose secret the receiver checks against. */
  const endpointAt = async (path: string, eventTypes?: string[]) => {
    const created = await createWebhookEndpoint(
      database.db,
      tenantId,
      ACTOR,
      { url: `${receiver.url}${path}`, ...(eventTypes === undefined ? {} : { eventTypes }) },
      clock,
    );
    if (!created.ok) throw new Error(created.message);
    secrets.set(path, created.secret);
    return created.endpoint;
  };

  const record = (
    type: WebhookEventType = 'invoice.paid',
    data: Record<string, unknown> = { invoiceId: 'x' },
  ) =>
    database.db
      .transaction()
      .execute((trx) => recordWebhookEvent(trx, { tenantId, type, data, occurredAt: clock }));

  const deliveryOf = (eventId: string) =>
    database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();

  const attemptsOf = (deliveryId: string) =>
    database.db
      .selectFrom('webhook_delivery_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('attempt')
      .execute();

  beforeAll(async () => {
    database = await openTestDatabase();
    tenantId = (await createTestTenant(database.db, 'Webhook operator')).id;
    receiver = await startWebhookReceiver({
      secretFor: (path) => secrets.get(path),
      nowMs: () => clock.getTime(),
    });
  });

  afterEach(async () => {
    for (const started of dispatchers.splice(0)) await started.stop();
    // Each test's endpoints stop here, so their leftovers never reach the next test's passes.
    await database.db.updateTable('webhook_endpoints').set({ status: 'disabled' }).execute();
    receiver.received.length = 0;
    receiver.plan = [];
    receiver.otherwise = 200;
    receiver.delayMs = 0;
    clock = START;
    errors.length = 0;
  });

  afterAll(async () => {
    await receiver?.close();
    await database?.close();
  });

  it('delivers a committed event once, signed, with the documented headers and body', async () => {
    await endpointAt('/once');
    const eventId = await record('invoice.paid', { invoiceId: 'inv-1', amount: '12.50', currency: 'EUR' });
    const sent = dispatcher();
    expect(await sent.deliverDue()).toBe(1);
    expect(await sent.deliverDue()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.signature).toMatchObject({
      ok: true,
      timestampSeconds: Math.floor(START.getTime() / 1000),
    });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Tollgate-Webhooks/1',
      'tollgate-event-id': eventId,
      'tollgate-event-type': 'invoice.paid',
    });
    expect(JSON.parse(request!.body)).toEqual({
      id: eventId,
      type: 'invoice.paid',
      createdAt: START.toISOString(),
      tenantId,
      data: { invoiceId: 'inv-1', amount: '12.50', currency: 'EUR' },
    });
    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
      next_attempt_at: null,
      last_status_code: 200,
    });
    expect(delivery.delivered_at?.toISOString()).toBe(START.toISOString());
    expect(await attemptsOf(delivery.id)).toMatchObject([{ attempt: 1, status_code: 200, error: null }]);
  });

  it('never delivers an event whose transaction rolled back', async () => {
    await endpointAt('/rollback');
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordWebhookEvent(trx, { tenantId, type: 'payment.failed', data: {}, occurredAt: clock });
        throw new Error('the payment was not recorded after all');
      }),
    ).rejects.toThrow('not recorded');
    const events = await database.db
      .selectFrom('webhook_events')
      .select('id')
      .where('type', '=', 'payment.failed')
      .execute();
    expect(events).toEqual([]);
    expect(await dispatcher().deliverDue()).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  it('retries a receiver that fails twice on the schedule, logging every attempt', async () => {
    await endpointAt('/flaky');
    receiver.plan = [500, 500];
    const eventId = await record();
    const sent = dispatcher();
    expect(await sent.deliverDue()).toBe(1);
    let delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    expect(delivery.next_attempt_at?.toISOString()).toBe(new Date(START.getTime() + MINUTE_MS).toISOString());

    clock = new Date(START.getTime() + MINUTE_MS - 1);
    expect(await sent.deliverDue()).toBe(0); // not due yet
    clock = new Date(START.getTime() + MINUTE_MS);
    expect(await sent.deliverDue()).toBe(1);
    delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2 });
    expect(delivery.next_attempt_at?.toISOString()).toBe(
      new Date(START.getTime() + 6 * MINUTE_MS).toISOString(),
    );

    clock = delivery.next_attempt_at!;
    expect(await sent.deliverDue()).toBe(1);
    delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, next_attempt_at: null });
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.attempted_at.toISOString()])).toEqual([
      [1, 500, START.toISOString()],
      [2, 500, new Date(START.getTime() + MINUTE_MS).toISOString()],
      [3, 200, new Date(START.getTime() + 6 * MINUTE_MS).toISOString()],
    ]);
    expect(attempts[0]!.error).toBe('refused with 500');
    expect(receiver.received.every((r) => r.signature.ok)).toBe(true);
    expect(receiver.verifiedEventIds()).toEqual([eventId, eventId, eventId]);
  });

  it('gives up 3 days after the event (dead), and a replay delivers it once the receiver recovers', async () => {
    await endpointAt('/down');
    receiver.otherwise = 503;
    const eventId = await record();
    const sent = dispatcher();
    let delivery = await deliveryOf(eventId);
    for (let pass = 0; pass < 20 && delivery.status === 'pending'; pass++) {
      clock = delivery.next_attempt_at!;
      expect(await sent.deliverDue()).toBe(1);
      delivery = await deliveryOf(eventId);
    }
    expect(delivery).toMatchObject({
      status: 'dead',
      attempts: 11,
      next_attempt_at: null,
      last_status_code: 503,
    });
    expect(clock.getTime()).toBeLessThanOrEqual(START.getTime() + RETRY_WINDOW_MS);
    expect(clock.getTime()).toBeGreaterThan(START.getTime() + RETRY_WINDOW_MS - 12 * 60 * MINUTE_MS);
    clock = new Date(START.getTime() + 2 * RETRY_WINDOW_MS);
    expect(await sent.deliverDue()).toBe(0); // dead deliveries are not retried

    receiver.otherwise = 200;
    const replayed = await replayWebhookDelivery(database.db, tenantId, ACTOR, delivery.id, clock);
    expect(replayed).toMatchObject({ ok: true, delivery: { status: 'pending', attemptCount: 11 } });
    expect(await sent.deliverDue()).toBe(1);
    delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 12 });
    expect(await attemptsOf(delivery.id)).toHaveLength(12);
    expect(receiver.received.at(-1)!.signature.ok).toBe(true);
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    await endpointAt('/hang');
    receiver.otherwise = 'hang';
    const eventId = await record();
    const started = performance.now();
    expect(await dispatcher({ timeoutMs: 300 }).deliverDue()).toBe(1);
    expect(performance.now() - started).toBeLessThan(5000);
    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(delivery.last_error).toBe('no answer within 300 ms');
    expect(delivery.next_attempt_at?.toISOString()).toBe(new Date(START.getTime() + MINUTE_MS).toISOString());
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt).toMatchObject({ attempt: 1, status_code: null, error: 'no answer within 300 ms' });
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(250);
  });

  it('logs an unreachable receiver as a failed attempt with the network error', async () => {
    const closed = await startWebhookReceiver({ secretFor: () => undefined, nowMs: () => clock.getTime() });
    await closed.close();
    const created = await createWebhookEndpoint(
      database.db,
      tenantId,
      ACTOR,
      { url: `${closed.url}/gone` },
      clock,
    );
    if (!created.ok) throw new Error(created.message);
    const eventId = await record();
    expect(await dispatcher().deliverDue()).toBe(1);
    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED/);
  });

  it('holds the deliveries of a disabled endpoint until it is enabled again', async () => {
    const endpoint = await endpointAt('/paused');
    const before = await record();
    const paused = await updateWebhookEndpoint(
      database.db,
      tenantId,
      ACTOR,
      endpoint.id,
      { status: 'disabled' },
      clock,
    );
    expect(paused).toMatchObject({ ok: true, endpoint: { status: 'disabled' } });
    const during = await record();
    const sent = dispatcher();
    clock = new Date(START.getTime() + 60 * MINUTE_MS);
    expect(await sent.deliverDue()).toBe(0);
    expect(receiver.received).toEqual([]);
    expect(await deliveryOf(before)).toMatchObject({ status: 'pending', attempts: 0 });
    // An event recorded while the endpoint was disabled was not meant for it.
    expect(
      await database.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('event_id', '=', during)
        .execute(),
    ).toEqual([]);

    await updateWebhookEndpoint(database.db, tenantId, ACTOR, endpoint.id, { status: 'active' }, clock);
    expect(await sent.deliverDue()).toBe(1);
    expect(receiver.verifiedEventIds()).toEqual([before]);
  });

  it('sends each endpoint only the event types it asked for', async () => {
    await endpointAt('/payments', ['payment.*']);
    await endpointAt('/paid', ['invoice.paid', 'balance.low']);
    await endpointAt('/all');
    const payment = await record('payment.succeeded');
    const paid = await record('invoice.paid');
    const low = await record('balance.low');
    const suspended = await record('subscription.suspended');
    expect(await dispatcher().deliverDue()).toBe(7);
    const byPath = (path: string) =>
      receiver.received
        .filter((r) => r.path === path && r.signature.ok)
        .map((r) => (JSON.parse(r.body) as { id: string }).id)
        .sort();
    expect(byPath('/payments')).toEqual([payment]);
    expect(byPath('/paid')).toEqual([paid, low].sort());
    expect(byPath('/all')).toEqual([payment, paid, low, suspended].sort());
  });

  it('delivers each event exactly once with two dispatchers working the same database at once', async () => {
    await endpointAt('/together');
    receiver.delayMs = 15;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await record('invoice.finalized', { n: i }));
    const first = dispatcher({ batchSize: 4 });
    const second = dispatcher({ batchSize: 4 });
    const counts = await Promise.all([
      first.deliverDue(),
      second.deliverDue(),
      first.deliverDue(),
      second.deliverDue(),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    // The passes overlapped: more than one of them found deliveries to send.
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(1);
    expect(receiver.verifiedEventIds().sort()).toEqual([...ids].sort());
    const { rows } = await sql<{ attempts: string; delivered: string }>`
      select count(*)::text as attempts, count(distinct delivery_id)::text as delivered
      from webhook_delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
      where d.event_id in (${sql.join(ids)})`.execute(database.db);
    expect(rows[0]).toEqual({ attempts: '40', delivered: '40' });
  });

  it('runs a pass when nudged, and stop() waits for the send in flight', async () => {
    await endpointAt('/nudged');
    const eventId = await record();
    const sent = dispatcher();
    sent.nudge();
    await waitFor(() => receiver.received.length === 1);
    await waitFor(async () => (await deliveryOf(eventId)).status === 'delivered');

    receiver.otherwise = 'hang';
    const hung = await record();
    const slow = dispatcher({ timeoutMs: 300 });
    const pass = slow.deliverDue();
    await waitFor(() => receiver.received.length === 2);
    await slow.stop();
    expect(await attemptsOf((await deliveryOf(hung)).id)).toHaveLength(1);
    expect(await pass).toBe(1);
  });

  it('logs a failing pass and keeps polling, without crashing the process', async () => {
    const broken = await createDatabase({}); // never migrated: every claim fails
    const seen: unknown[] = [];
    const started = startWebhookDispatcher(broken.db, {
      now,
      log: { error: (object) => seen.push(object) },
      pollMs: 20,
    });
    try {
      await waitFor(() => seen.length >= 2);
      expect(String((seen[0] as { err: Error }).err.message)).toMatch(/webhook_deliveries/);
    } finally {
      await started.stop();
      await broken.close();
    }
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
