import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type FraudFixture, openFraudFixture } from './fraud-fixture.js';

const subscriber = { kind: 'msisdn', value: '+4917698765432' };

describe(`a barring fraud case (${DATABASE_LABEL})`, () => {
  let f: FraudFixture;
  let line: string;
  let caseId: string;
  /** Past the charging engine's line cache, as a bar placed between two requests is seen. */
  const later = () => {
    f.charging.clock.now = new Date(f.charging.clock.now.getTime() + 5_000);
  };
  const session = async (sessionId: string, destination = '+4930123456') => {
    const response = await f.call('POST', '/v1/charging/sessions', {
      sessionId,
      subscriber,
      services: [{ ratingGroup: 1, destination, requestedUnits: 60 }],
    });
    expect(response.statusCode).toBe(200);
    await f.monitor.idle();
    return response.json().services[0] as { resultCode: string; message?: string };
  };

  beforeAll(async () => {
    f = await openFraudFixture();
    await f.charging.topUp(f.charging.prepaid.accountId, '50.00');
    line = await f.lineOf(subscriber.value);
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it('bars a line that opens more sessions at once than the limit', async () => {
    const set = await f.call('PUT', '/v1/fraud-rules/simultaneous_sessions', {
      enabled: true,
      action: 'bar',
      notify: false,
      params: { maxSessions: 2 },
    });
    expect(set.statusCode).toBe(200);
    for (const id of ['s-1', 's-2']) expect((await session(id)).resultCode).toBe('success');
    expect(await f.cases()).toEqual([]);
    expect((await session('s-3')).resultCode).toBe('success');
    const found = await f.cases('?status=open');
    expect(found).toMatchObject([
      { kind: 'simultaneous_sessions', barred: true, subscriptionId: line, evidence: { openSessions: 3 } },
    ]);
    caseId = found[0]!.id as string;
  });

  it('refuses chargeable usage of the barred line, online and recorded, but lets 112 through', async () => {
    later();
    const refused = await session('s-4');
    expect(refused).toMatchObject({ resultCode: 'service_denied' });
    expect(refused.message).toMatch(/barred/);
    const emergency = await f.call('POST', '/v1/charging/events', {
      eventId: 'emergency-1',
      subscriber,
      services: [{ ratingGroup: 1, destination: '112', requestedUnits: 60 }],
    });
    expect(emergency.json().services?.[0]?.resultCode ?? emergency.json().code).not.toBe('service_denied');

    const recorded = await f.calls(subscriber.value, [
      {
        id: 'barred-1',
        destination: '+4930123456',
        at: new Date(f.charging.clock.now.getTime() - 60_000),
        seconds: 60,
      },
      {
        id: 'barred-112',
        destination: '112',
        at: new Date(f.charging.clock.now.getTime() - 50_000),
        seconds: 30,
      },
    ]);
    const [call, sos] = recorded.json().results;
    expect(call).toMatchObject({ status: 'suspended', reason: 'line_barred' });
    expect(call.message).toContain(caseId);
    expect(sos.reason ?? sos.status).not.toBe('line_barred');
  });

  it('lifts the bar when the case is dismissed, audited, and does not judge the same sessions again', async () => {
    const decided = await f.call('POST', `/v1/fraud-cases/${caseId}/decision`, {
      decision: 'dismiss',
      reason: 'a call centre line: the sessions are expected',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'dismissed',
      barred: false,
      reason: 'a call centre line: the sessions are expected',
      decidedBy: expect.stringMatching(/^api_key:/),
    });
    const twice = await f.call('POST', `/v1/fraud-cases/${caseId}/decision`, {
      decision: 'confirm',
      reason: 'again',
    });
    expect(twice.statusCode).toBe(409);
    later();
    expect((await session('s-5')).resultCode).toBe('success');
    expect(await f.cases('?status=open')).toEqual([]);
    const audit = await f.charging.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('object_id', 'in', [caseId, line, 'simultaneous_sessions'])
      .orderBy('sequence')
      .execute();
    expect(audit.map((a) => a.action).filter((a) => /^fraud|bar/.test(a))).toEqual([
      'fraud_rule.set',
      'fraud_case.opened',
      'subscription.barred',
      'fraud_case.dismissed',
      'subscription.bar_lifted',
    ]);
    expect((await f.call('GET', `/v1/fraud-cases/${caseId}`)).json()).toMatchObject({ status: 'dismissed' });
  });

  it('bars the line when a case is confirmed with bar, and keeps the bar', async () => {
    const set = await f.call('PUT', '/v1/fraud-rules/simultaneous_sessions', {
      enabled: true,
      action: 'alert',
      notify: false,
      params: { maxSessions: 1 },
    });
    expect(set.statusCode).toBe(200);
    later();
    await session('s-6');
    const [open] = await f.cases('?status=open');
    expect(open).toMatchObject({ barred: false });
    const confirmed = await f.call('POST', `/v1/fraud-cases/${open!.id}/decision`, {
      decision: 'confirm',
      reason: 'the customer did not make these calls',
      bar: true,
    });
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', barred: true });
    later();
    expect((await session('s-7')).resultCode).toBe('service_denied');
  });
});
