import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { buildApp } from '../../src/http/build-app.js';
import { bearer } from '../api/api-fixtures.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type MediationFixture, openMediationFixture, SWITCH_HEADER } from './mediation-fixture.js';

const EVENTS = [
  {
    id: 'evt-1',
    subscriber: '+4915112345678',
    service: 'call',
    destination: '+4930123456',
    startedAt: '2026-03-02T11:00:00+01:00',
    units: 90,
  },
  {
    id: 'evt-2',
    subscriber: '+4999999999',
    service: 'call',
    destination: '+4930123456',
    startedAt: '2026-03-02T11:01:00+01:00',
    units: 60,
  },
  {
    id: 'evt-3',
    subscriber: { kind: 'msisdn', value: '0151 12345678' },
    service: 'sms',
    destination: '+4917611111111',
    startedAt: '2026-03-02T10:02:00Z',
    units: 1,
  },
];

describe(`the usage API (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  let app: FastifyInstance;
  let keys: { admin: string; operator: string; readOnly: string };
  beforeAll(async () => {
    fixture = await openMediationFixture();
    app = await buildApp({ db: fixture.database.db, now: () => new Date() });
    keys = {
      admin: (await issueApiKey(fixture.database.db, fixture.tenantId, 'admin', 'admin')).key,
      operator: (await issueApiKey(fixture.database.db, fixture.tenantId, 'operator', 'operator')).key,
      readOnly: (await issueApiKey(fixture.database.db, fixture.tenantId, 'read-only', 'read-only')).key,
    };
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, key: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: bearer(key),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('rates a batch of events, suspends the one it cannot rate, and answers per event', async () => {
    const response = await call('POST', '/v1/usage', keys.operator, { events: EVENTS });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ loaded: 2, duplicate: 0, suspended: 1, skipped: 0 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['loaded', 'suspended', 'loaded']);
    expect(body.results[1]).toMatchObject({ reason: 'unknown_subscriber', field: 'subscriber' });
  });

  it('is idempotent per event: sent again, each is a duplicate of what was stored', async () => {
    const first = await call('GET', '/v1/rated-usage?limit=200', keys.readOnly);
    const before = first.json().items as { id: string; recordKey: string }[];
    const response = await call('POST', '/v1/usage', keys.operator, { events: EVENTS });
    const body = response.json();
    expect(body).toMatchObject({ loaded: 0, duplicate: 3, suspended: 0 });
    const evt1 = before.find((r) => r.recordKey === 'evt-1')!;
    expect(body.results[0]).toMatchObject({ status: 'duplicate', ratedUsageId: evt1.id });
    const after = await call('GET', '/v1/rated-usage?limit=200', keys.readOnly);
    expect(after.json().items).toHaveLength(before.length);
  });

  it('explains a rated record by rerunning its rating, and the rerun gives the stored price', async () => {
    const list = await call('GET', `/v1/rated-usage?accountId=${fixture.postpaid.accountId}`, keys.readOnly);
    const evt1 = (list.json().items as { id: string; recordKey: string; charged: string }[]).find(
      (r) => r.recordKey === 'evt-1',
    )!;
    expect(evt1.charged).toBe('0.095');
    const one = await call('GET', `/v1/rated-usage/${evt1.id}`, keys.readOnly);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      reproduced: true,
      explanation: { destination: { matchedPrefix: '4930', destinationId: 'DE_BERLIN' }, cost: '0.095' },
    });
  });

  it('refuses a malformed event with the field named, and loads nothing of the request', async () => {
    const response = await call('POST', '/v1/usage', keys.operator, {
      events: [EVENTS[0], { ...EVENTS[2], id: 'evt-bad', units: -4 }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(response.json())).toContain('/events/1/units');
  });

  it('lets an operator fix a suspended event and reprocess it; each attempt is kept', async () => {
    const open = await call('GET', '/v1/suspended-records?status=open', keys.readOnly);
    const record = (open.json().items as { id: string; recordKey: string; raw: string }[]).find(
      (r) => r.recordKey === 'evt-2',
    )!;
    const fixed = JSON.stringify({ ...EVENTS[1], subscriber: '+4915112345679' });
    const edited = await call('PATCH', `/v1/suspended-records/${record.id}`, keys.operator, { raw: fixed });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ raw: fixed, originalRaw: record.raw, status: 'open' });
    const reprocessed = await call('POST', '/v1/suspended-records/reprocess', keys.operator, {
      ids: [record.id],
    });
    expect(reprocessed.json()).toEqual({ examined: 1, loaded: 1, duplicate: 0, suspended: 0 });
    const detail = await call('GET', `/v1/suspended-records/${record.id}`, keys.readOnly);
    expect(detail.json()).toMatchObject({
      record: { status: 'resolved', attempts: 1 },
      attempts: [{ attempt: 1, outcome: 'loaded', raw: fixed }],
    });
    const again = await call('PATCH', `/v1/suspended-records/${record.id}`, keys.operator, { raw: fixed });
    expect(again.statusCode).toBe(409);
  });

  it('shows a file run with its summary', async () => {
    const path = await fixture.file(
      'api-file.csv',
      `${SWITCH_HEADER}\nf1,+4915112345678,+4930123456,call,2026-03-03T11:00:00+01:00,60,\nf2,+4999,+4930123456,call,2026-03-03T11:00:00+01:00,60,\n`,
    );
    const outcome = await fixture.ingest(path);
    expect(outcome.ok).toBe(true);
    const files = await call('GET', '/v1/usage-files?source=switch', keys.readOnly);
    expect(files.statusCode).toBe(200);
    const run = (files.json().items as { fileName: string }[]).find((f) => f.fileName === 'api-file.csv');
    expect(run).toMatchObject({
      status: 'done',
      read: '2',
      loaded: '1',
      suspended: '1',
      rated: { EUR: '0.07' },
    });
  });

  it('counts an id sent twice in one request once: the second is its duplicate', async () => {
    const event = { ...EVENTS[0], id: 'evt-twice' };
    const response = await call('POST', '/v1/usage', keys.operator, { events: [event, event] });
    const body = response.json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['loaded', 'duplicate']);
    expect(body.results[1].ratedUsageId).toBe(body.results[0].ratedUsageId);
  });

  it('takes events for a defined source or the default one, and names an unknown source', async () => {
    const unknown = await call('POST', '/v1/usage', keys.operator, { source: 'nowhere', events: EVENTS });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('nowhere');
  });

  it('keeps the roles: reading is not recording, and operators do not define sources or rerate', async () => {
    expect((await call('POST', '/v1/usage', keys.readOnly, { events: EVENTS })).statusCode).toBe(403);
    expect(
      (await call('PUT', '/v1/usage-sources/x', keys.operator, { profile: { format: 'jsonl' } })).statusCode,
    ).toBe(403);
    expect(
      (
        await call('POST', '/v1/rerates', keys.operator, {
          from: '2026-03-01T00:00:00Z',
          to: '2026-04-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(403);
    const rerate = await call('POST', '/v1/rerates', keys.admin, {
      from: '2026-03-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
    });
    expect(rerate.statusCode).toBe(200);
    expect(rerate.json()).toMatchObject({ changed: 0, failed: 0 });
  });

  it('answers every fuzzed batch with 200 or a 400, never a server error', async () => {
    const event = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
        subscriber: fc.oneof(
          fc.constantFrom('+4915112345678', '+4917698765432', '0301234'),
          fc.string({ maxLength: 20 }),
        ),
        service: fc.oneof(fc.constantFrom('call', 'sms', 'data', 'iot-units'), fc.string({ maxLength: 10 })),
        destination: fc.oneof(
          fc.constantFrom('+4930123456', '+81312345678', ''),
          fc.string({ maxLength: 30 }),
        ),
        startedAt: fc.oneof(
          fc
            .date({
              min: new Date('2025-06-01T00:00:00Z'),
              max: new Date('2026-12-31T00:00:00Z'),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString()),
          fc.string({ maxLength: 25 }),
        ),
        units: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.string({ maxLength: 12 }), fc.double()),
        direction: fc.constantFrom('outgoing', 'incoming', 'sideways'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 5 }), async (events) => {
        const response = await call('POST', '/v1/usage', keys.operator, { events });
        return response.statusCode === 200 || response.statusCode === 400;
      }),
      { numRuns: 40 },
    );
  });
});
