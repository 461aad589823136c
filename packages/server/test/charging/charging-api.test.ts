import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import { buildApp } from '../../src/http/build-app.js';
import { type ChargingFixture, mainBalance, openChargingFixture } from './charging-fixture.js';

describe('the JSON charging API', () => {
  let fixture: ChargingFixture;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    fixture = await openChargingFixture();
    await fixture.topUp(fixture.prepaid.accountId, '1.00');
    const engine = fixture.engine();
    app = await buildApp({ db: fixture.database.db, now: () => fixture.clock.now, charging: engine });
    const key = await issueApiKey(fixture.database.db, fixture.tenantId, 'switch', 'operator');
    headers = { authorization: `Bearer ${key.key}` };
  });
  afterAll(async () => {
    await app.close();
    await fixture.close();
  });

  const subscriber = { kind: 'msisdn', value: '+4917698765432' };
  const voice = { ratingGroup: 1, destination: '+4930123456' };
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });

  it('authorises without reserving, then runs a session', async () => {
    const authorised = await post('/v1/charging/authorisations', {
      subscriber,
      services: [{ ...voice, requestedUnits: 7200 }],
    });
    expect(authorised.statusCode).toBe(200);
    // 1.00 EUR: 0.07 for the first minute, 0.93 for 1116 s more (rounded to 4 decimals once).
    expect(authorised.json().services[0]).toMatchObject({
      grantedUnits: 1176,
      finalUnit: true,
      charged: '0',
    });
    expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual({
      balance: 1_000_000n,
      reserved: 0n,
    });

    const started = await post('/v1/charging/sessions', {
      sessionId: 'api-1',
      subscriber,
      services: [{ ...voice, requestedUnits: 60 }],
    });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({
      currency: 'EUR',
      services: [{ resultCode: 'success', grantedUnits: 60, validityTimeSeconds: 900 }],
    });
    const updated = await post('/v1/charging/sessions/api-1/updates', {
      requestNumber: 1,
      services: [{ ratingGroup: 1, usedUnits: 60, requestedUnits: 60 }],
    });
    expect(updated.json().services[0]).toMatchObject({ charged: '0.07', grantedUnits: 60 });
    const ended = await post('/v1/charging/sessions/api-1/termination', {
      requestNumber: 2,
      services: [{ ratingGroup: 1, usedUnits: 10 }],
    });
    expect(ended.json().services[0]).toMatchObject({ charged: '0.0083', grantedUnits: 0 });
    expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual({
      balance: 921_700n,
      reserved: 0n,
    });

    const balance = await app.inject({
      method: 'GET',
      url: '/v1/charging/balance?kind=msisdn&value=%2B4917698765432',
      headers,
    });
    expect(balance.json()).toMatchObject({
      balance: { mainBalance: '0.9217', availableToSpend: '0.9217' },
    });
  });

  it('charges events once per event id', async () => {
    const event = {
      eventId: 'sms-api-1',
      subscriber,
      services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 1 }],
    };
    const first = await post('/v1/charging/events', event);
    const again = await post('/v1/charging/events', event);
    expect(first.json().services[0]).toMatchObject({ resultCode: 'success', charged: '0.09' });
    expect(again.json()).toEqual(first.json());
    expect((await mainBalance(fixture, fixture.prepaid.accountId)).balance).toBe(831_700n);
  });

  it('answers refusals as problems with stable codes', async () => {
    const unknown = await post('/v1/charging/sessions', {
      sessionId: 'api-2',
      subscriber: { kind: 'msisdn', value: '+4999999999' },
      services: [voice],
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'unknown_subscriber']);
    const noSession = await post('/v1/charging/sessions/none/updates', { requestNumber: 1, services: [] });
    expect([noSession.statusCode, noSession.json().code]).toEqual([404, 'unknown_session']);
    const tooMuch = await post('/v1/charging/events', {
      eventId: 'sms-api-2',
      subscriber,
      services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 100 }],
    });
    expect([tooMuch.statusCode, tooMuch.json().code]).toEqual([422, 'insufficient_balance']);
    const malformed = await post('/v1/charging/sessions', {
      sessionId: 'api-3',
      subscriber,
      services: [{ ratingGroup: -1 }],
    });
    expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'validation_failed']);
    const outOfOrder = await post('/v1/charging/sessions', {
      sessionId: 'api-4',
      subscriber,
      services: [voice],
    });
    expect(outOfOrder.statusCode).toBe(200);
    const repeated = await post('/v1/charging/sessions/api-4/updates', { requestNumber: 1, services: [] });
    const stale = await post('/v1/charging/sessions/api-4/updates', {
      requestNumber: 1,
      services: [{ ratingGroup: 1, usedUnits: 5 }],
    });
    // The same request number is a retry: the first answer again, whatever the body.
    expect(stale.json()).toEqual(repeated.json());
  });

  it('refuses the late update of a lapsed session', async () => {
    await post('/v1/charging/sessions', {
      sessionId: 'api-5',
      subscriber,
      services: [{ ...voice, requestedUnits: 60 }],
    });
    const started = fixture.clock.now;
    fixture.clock.now = new Date(started.getTime() + 901_000);
    try {
      const late = await post('/v1/charging/sessions/api-5/updates', {
        requestNumber: 1,
        services: [{ ratingGroup: 1, usedUnits: 60 }],
      });
      expect([late.statusCode, late.json().code]).toEqual([409, 'session_expired']);
    } finally {
      fixture.clock.now = started;
    }
  });

  it('documents the charging routes in the OpenAPI spec', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/charging/sessions',
        '/v1/charging/sessions/{sessionId}/updates',
        '/v1/charging/sessions/{sessionId}/termination',
        '/v1/charging/events',
        '/v1/charging/authorisations',
        '/v1/charging/balance',
      ]),
    );
  });
});
