import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { startCharging } from '../../src/cli/start-charging.js';
import { loadConfig } from '../../src/config/load-config.js';
import { DiameterClient } from '../../src/diameter/diameter-client.js';
import { buildApp } from '../../src/http/build-app.js';
import { startJobQueue } from '../../src/jobs/start-job-queue.js';
import { watchDropDirectory } from '../../src/mediation/watch-drop-directory.js';
import { AppMetrics } from '../../src/metrics/app-metrics.js';
import { bearer } from '../api/api-fixtures.js';
import {
  type MediationFixture,
  openMediationFixture,
  SWITCH_HEADER,
} from '../mediation/mediation-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import { parseExposition, type Sample, sampleValue } from './exposition.js';

const QUIET_LOG = { info: () => {}, error: () => {} };
const TOKEN = 'metrics-token-0123456789abcdef';

describe(`GET /metrics (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  let metrics: AppMetrics;
  let app: FastifyInstance;
  let key: string;
  let boss: PgBoss | undefined;
  beforeAll(async () => {
    fixture = await openMediationFixture();
    await fixture.topUp(fixture.prepaid.accountId, '1.00');
    // Every scrape reads the database afresh, so a test sees what it just changed.
    metrics = new AppMetrics({ db: fixture.database.db, now: () => fixture.clock.now, gaugeMaxAgeMs: 0 });
    app = await buildApp({
      db: fixture.database.db,
      now: () => fixture.clock.now,
      metrics,
      metricsToken: TOKEN,
      portalDir: null,
    });
    key = (await issueApiKey(fixture.database.db, fixture.tenantId, 'metrics test', 'operator')).key;
  }, 60_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await app?.close();
    await fixture?.close();
  });

  const scrape = async (): Promise<Sample[]> => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(metrics.contentType);
    return parseExposition(response.body);
  };
  const post = (url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers: bearer(key), payload });

  it('requires the token when one is set: 401 without it or with another, 200 with it', async () => {
    const without = await app.inject({ method: 'GET', url: '/metrics' });
    expect([without.statusCode, without.json().code]).toEqual([401, 'unauthenticated']);
    expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${TOKEN}x`) });
    expect(wrong.statusCode).toBe(401);
    const apiKey = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(key) });
    expect(apiKey.statusCode).toBe(401);
    const right = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
    expect(right.statusCode).toBe(200);
    expect(right.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is open without a token, and stays out of the OpenAPI document', async () => {
    const open = await buildApp({ db: fixture.database.db, now: () => fixture.clock.now, portalDir: null });
    try {
      const response = await open.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      const samples = parseExposition(response.body);
      // A fresh app counts from zero, apart from any other in the process.
      expect(samples.filter((s) => s.name === 'tollgate_http_requests_total')).toEqual([]);
      expect(sampleValue(samples, 'tollgate_database_up')).toBe(1);
      const paths = Object.keys((await open.inject({ method: 'GET', url: '/openapi.json' })).json().paths);
      expect(paths).not.toContain('/metrics');
      expect(paths.length).toBeGreaterThan(10);
    } finally {
      await open.close();
    }
  });

  it('counts requests by route pattern, method and status, never its own scrapes', async () => {
    const id = randomUUID();
    for (let i = 0; i < 3; i++) {
      const missing = await app.inject({
        method: 'GET',
        url: `/v1/customers/${randomUUID()}`,
        headers: bearer(key),
      });
      expect(missing.statusCode).toBe(404);
    }
    expect(
      (await app.inject({ method: 'GET', url: '/v1/customers?limit=1', headers: bearer(key) })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/nowhere/${id}` })).statusCode).toBe(404);
    const samples = await scrape();
    const requests = (labels: Record<string, string>) =>
      sampleValue(samples, 'tollgate_http_requests_total', labels);
    expect(requests({ method: 'GET', route: '/v1/customers/:id', status: '404' })).toBe(3);
    expect(requests({ method: 'GET', route: '/v1/customers', status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const routes = new Set(
      samples.filter((s) => s.name === 'tollgate_http_requests_total').map((s) => s.labels.route),
    );
    expect([...routes].some((route) => route?.includes(id) || route?.includes('?'))).toBe(false);
    expect(routes.has('/metrics')).toBe(false);
    expect(
      sampleValue(samples, 'tollgate_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/customers/:id',
      }),
    ).toBe(3);
    expect(
      sampleValue(samples, 'tollgate_http_request_duration_seconds_bucket', {
        method: 'GET',
        route: '/v1/customers/:id',
        le: '+Inf',
      }),
    ).toBe(3);
    // The process's own metrics ride along.
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts charging answers: grants with their units, and refusals by code', async () => {
    const subscriber = { kind: 'msisdn', value: fixture.prepaid.msisdn };
    const voice = { ratingGroup: 1, destination: '+4930123456' };
    const started = await post('/v1/charging/sessions', {
      sessionId: 'metrics-1',
      subscriber,
      services: [{ ...voice, requestedUnits: 60 }],
    });
    expect(started.json().services[0]).toMatchObject({ resultCode: 'success', grantedUnits: 60 });
    // A retry of the same request gets the stored answer: an answer given, so counted again.
    const ended = await post('/v1/charging/sessions/metrics-1/termination', {
      requestNumber: 1,
      services: [{ ratingGroup: 1, usedUnits: 30 }],
    });
    expect(ended.statusCode).toBe(200);
    const unknown = await post('/v1/charging/sessions', {
      sessionId: 'metrics-2',
      subscriber: { kind: 'msisdn', value: '+4999999999' },
      services: [voice],
    });
    expect(unknown.json().code).toBe('unknown_subscriber');
    const tooMuch = await post('/v1/charging/events', {
      eventId: 'metrics-sms',
      subscriber,
      services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 100 }],
    });
    expect(tooMuch.json().code).toBe('insufficient_balance');

    const samples = await scrape();
    const requests = (kind: string, result: string) =>
      sampleValue(samples, 'tollgate_charging_requests_total', { kind, result });
    expect(requests('initiate', 'success')).toBe(1);
    expect(requests('terminate', 'success')).toBe(1);
    expect(requests('initiate', 'unknown_subscriber')).toBe(1);
    expect(requests('event', 'insufficient_balance')).toBe(1);
    expect(requests('event', 'success')).toBeUndefined();
    expect(
      sampleValue(samples, 'tollgate_charging_services_total', { kind: 'initiate', result: 'success' }),
    ).toBe(1);
    expect(sampleValue(samples, 'tollgate_charging_granted_units_total', { unit: 'seconds' })).toBe(60);
    // The requests came one at a time: each was a batch of its own.
    expect(sampleValue(samples, 'tollgate_charging_batch_commit_duration_seconds_count')).toBe(4);
    expect(sampleValue(samples, 'tollgate_charging_batch_size_sum')).toBe(4);
  });

  it('counts Diameter credit control in the same metrics, through the engine `serve` starts', async () => {
    const loaded = await loadConfig({}, { diameterPort: 0, diameterPeers: 'pgw.metrics.example' });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const charging = await startCharging(
      loaded.config,
      fixture.database,
      () => fixture.clock.now,
      new Map(),
      metrics,
    );
    const server = await charging.startDiameter();
    if (server === null) throw new Error('the Diameter server did not start');
    const before = await scrape();
    try {
      const client = await DiameterClient.connect({
        port: server.port,
        originHost: 'pgw.metrics.example',
        originRealm: 'example',
        destinationRealm: 'localdomain',
      });
      try {
        const answer = await client.creditControl({
          sessionId: client.newSessionId(),
          requestType: 'initial',
          requestNumber: 0,
          subscriber: { kind: 'msisdn', value: fixture.prepaid.msisdn },
          destination: '+4930123456',
          services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 30n }],
        });
        expect(answer).toMatchObject({ resultCode: 2001, services: [{ grantedUnits: 30n }] });
      } finally {
        await client.close();
      }
    } finally {
      await server.close();
      await charging.stop();
    }
    const after = await scrape();
    const change = (name: string, labels: Record<string, string>) =>
      (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    expect(change('tollgate_charging_requests_total', { kind: 'initiate', result: 'success' })).toBe(1);
    expect(change('tollgate_charging_granted_units_total', { unit: 'seconds' })).toBe(30);
  });

  it('counts usage records by channel and outcome, and the open suspended records', async () => {
    const root = join(fixture.work, 'spool');
    await mkdir(join(root, 'switch'), { recursive: true });
    await writeFile(
      join(root, 'switch', 'cdr-0001.csv'),
      [
        SWITCH_HEADER,
        'm1,+4915112345678,+4930123456,call,2026-03-05T11:00:00+01:00,60,',
        // The same call again: a duplicate by its id.
        'm1,+4915112345678,+4930123456,call,2026-03-05T11:00:00+01:00,60,',
        // A caller who is no line of the operator: suspended.
        'm2,+4999999999,+4930123456,call,2026-03-05T11:05:00+01:00,60,',
        '',
      ].join('\n'),
    );
    const watcher = watchDropDirectory(fixture.database.db, {
      root,
      tenantId: fixture.tenantId,
      pollMs: 60_000,
      settleMs: 0,
      log: QUIET_LOG,
      metrics: metrics.usage,
    });
    try {
      await watcher.scan();
    } finally {
      await watcher.stop();
    }
    const api = await post('/v1/usage', {
      events: [
        {
          id: 'm3',
          subscriber: '+4915112345678',
          service: 'call',
          destination: '+4930123456',
          startedAt: '2026-03-05T12:00:00+01:00',
          units: 30,
        },
      ],
    });
    expect(api.json()).toMatchObject({ loaded: 1, duplicate: 0, suspended: 0 });

    const samples = await scrape();
    const records = (channel: string, outcome: string) =>
      sampleValue(samples, 'tollgate_usage_records_total', { channel, outcome });
    expect([records('file', 'loaded'), records('file', 'duplicate'), records('file', 'suspended')]).toEqual([
      1, 1, 1,
    ]);
    expect([records('api', 'loaded'), records('api', 'duplicate'), records('api', 'suspended')]).toEqual([
      1, 0, 0,
    ]);
    expect(sampleValue(samples, 'tollgate_suspended_records_open')).toBe(1);
  });

  it('reads the backlogs at scrape time: messages due, webhook deliveries pending, jobs by queue and state', async () => {
    const customer = await fixture.database.db
      .selectFrom('customers')
      .select('id')
      .where('tenant_id', '=', fixture.tenantId)
      .executeTakeFirstOrThrow();
    const message = (sourceKey: string, sendAfter: Date) => ({
      tenant_id: fixture.tenantId,
      customer_id: customer.id,
      user_id: null,
      account_id: null,
      subscription_id: null,
      event: 'metrics.test',
      channel: 'email' as const,
      language: 'en',
      recipient: 'someone@example.com',
      subject: 'test',
      body_text: 'test',
      body_html: null,
      attachments: JSON.stringify([]),
      status: 'queued' as const,
      reason: null,
      send_after: sendAfter,
      last_error: null,
      sent_at: null,
      read_at: null,
      source_key: sourceKey,
      data: JSON.stringify({}),
    });
    const now = fixture.clock.now.getTime();
    await fixture.database.db
      .insertInto('notifications')
      .values([
        message('metrics-due', new Date(now - 60_000)),
        message('metrics-later', new Date(now + 3_600_000)),
      ])
      .execute();
    boss = await startJobQueue(fixture.database);
    await boss.createQueue('metrics-test');
    await boss.send('metrics-test', { n: 1 });
    await boss.send('metrics-test', { n: 2 });

    const samples = await scrape();
    expect(sampleValue(samples, 'tollgate_notifications_queued')).toBe(2);
    expect(sampleValue(samples, 'tollgate_notifications_due')).toBe(1);
    expect(sampleValue(samples, 'tollgate_webhook_deliveries_pending')).toBe(0);
    expect(sampleValue(samples, 'tollgate_webhook_deliveries_due')).toBe(0);
    expect(sampleValue(samples, 'tollgate_jobs', { queue: 'metrics-test', state: 'created' })).toBe(2);
    expect(sampleValue(samples, 'tollgate_database_up')).toBe(1);
  });
});
