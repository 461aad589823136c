import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_LABEL } from '../test-database.js';
import { type FraudFixture, openFraudFixture } from './fraud-fixture.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

describe(`fraud rules on usage as it arrives (${DATABASE_LABEL})`, () => {
  let f: FraudFixture;
  const ago = (ms: number) => new Date(f.charging.clock.now.getTime() - ms);
  const auditActions = async (objectId: string) =>
    (
      await f.charging.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('object_id', '=', objectId)
        .orderBy('sequence')
        .execute()
    ).map((r) => r.action);

  beforeAll(async () => {
    f = await openFraudFixture();
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it('lists the five rules with their defaults, reads one, and answers 404 for an unknown kind', async () => {
    const listed = await f.call('GET', '/v1/fraud-rules');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((r: { kind: string; enabled: boolean }) => [r.kind, r.enabled])).toEqual([
      ['premium_destination', true],
      ['short_call_burst', true],
      ['simultaneous_sessions', true],
      ['spend_spike', false],
      ['unexpected_country', false],
    ]);
    const one = await f.call('GET', '/v1/fraud-rules/short_call_burst');
    expect(one.json()).toEqual({
      kind: 'short_call_burst',
      enabled: true,
      action: 'alert',
      notify: true,
      params: { minCalls: 20, maxSeconds: 10, minDestinations: 10, windowMinutes: 60 },
      updatedAt: null,
    });
    expect((await f.call('GET', '/v1/fraud-rules/no_such_rule')).statusCode).toBe(404);
    const bad = await f.call('PUT', '/v1/fraud-rules/spend_spike', {
      enabled: true,
      action: 'alert',
      notify: true,
      params: { factor: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/params/factor');
    const unknown = await f.call('PUT', '/v1/fraud-rules/spend_spike', {
      enabled: true,
      action: 'alert',
      notify: true,
      params: { limit: 3 },
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('opens one premium_destination case for calls to a premium range, and counts later ones as occurrences', async () => {
    const msisdn = '+4915112345679';
    const line = await f.lineOf(msisdn);
    const first = await f.calls(msisdn, [
      { id: 'normal-1', destination: '+4930123456', at: ago(60 * MINUTE_MS), seconds: 120 },
    ]);
    expect(first.json().loaded).toBe(1);
    expect(await f.cases(`?subscriptionId=${line}`)).toEqual([]);

    await f.calls(msisdn, [
      { id: 'premium-1', destination: '+49900123456', at: ago(30 * MINUTE_MS), seconds: 120 },
    ]);
    const opened = await f.cases(`?subscriptionId=${line}`);
    expect(opened).toMatchObject([
      {
        kind: 'premium_destination',
        status: 'open',
        subscriptionId: line,
        identifier: msisdn,
        occurrences: 1,
        barred: false,
        evidence: { records: 1, destinations: ['+49900123456'] },
      },
    ]);
    expect(opened[0]!.customerName).toEqual(expect.any(String));

    await f.calls(msisdn, [
      { id: 'premium-2', destination: '+49900777777', at: ago(20 * MINUTE_MS), seconds: 60 },
    ]);
    await f.calls(msisdn, [
      { id: 'normal-2', destination: '+4930123457', at: ago(10 * MINUTE_MS), seconds: 60 },
    ]);
    const again = await f.cases(`?subscriptionId=${line}`);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ occurrences: 2, evidence: { records: 2 } });

    const webhooks = await f.charging.database.db
      .selectFrom('webhook_events')
      .select('data')
      .where('type', '=', 'fraud.case_opened')
      .execute();
    expect(webhooks.map((w) => (w.data as { id: string }).id)).toContain(opened[0]!.id);
    expect(await auditActions(opened[0]!.id as string)).toEqual(['fraud_case.opened']);
    expect(f.errors).toEqual([]);
  });

  it('opens one short_call_burst case for a burst of short calls to many numbers, however it arrives', async () => {
    const msisdn = '+49302345678';
    const line = await f.lineOf(msisdn);
    const burst = Array.from({ length: 30 }, (_, i) => ({
      id: `burst-${i}`,
      destination: `+4940${String(2_000_000 + i * 7919)}`,
      at: ago((40 - i) * MINUTE_MS),
      seconds: 3 + (i % 5),
    }));
    await f.calls(msisdn, burst.slice(0, 10));
    expect(await f.cases(`?subscriptionId=${line}`)).toEqual([]);
    await f.calls(msisdn, burst.slice(10, 20));
    await f.calls(msisdn, burst.slice(20, 25));
    await f.calls(msisdn, burst.slice(25));
    const found = await f.cases(`?subscriptionId=${line}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'short_call_burst',
      occurrences: 3,
      evidence: { calls: 30, destinations: 30, maxSeconds: 10 },
    });
  });

  it('opens a spend_spike case when a day costs far more than the days before, not before', async () => {
    const set = await f.call('PUT', '/v1/fraud-rules/spend_spike', {
      enabled: true,
      action: 'alert',
      notify: false,
      params: { factor: 5, minAmount: '20.00' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ kind: 'spend_spike', enabled: true, params: { baselineDays: 30 } });
    expect(await auditActions('spend_spike')).toEqual(['fraud_rule.set']);
    const msisdn = '+4915112345678';
    const line = await f.lineOf(msisdn);
    const usual = Array.from({ length: 10 }, (_, i) => ({
      id: `usual-${i}`,
      destination: `+4930${5_550_000 + i}`,
      at: ago((2 + i) * DAY_MS),
      seconds: 180,
    }));
    await f.calls(msisdn, usual);
    await f.calls(msisdn, [
      { id: 'today-0', destination: '+4930123999', at: ago(5 * 3_600_000), seconds: 300 },
    ]);
    expect(await f.cases(`?subscriptionId=${line}`)).toEqual([]);
    const heavy = Array.from({ length: 4 }, (_, i) => ({
      id: `heavy-${i}`,
      destination: `+49151${7_000_000 + i}`,
      at: ago((4 - i) * 3_600_000),
      seconds: 3600,
    }));
    await f.calls(msisdn, heavy);
    const found = await f.cases(`?subscriptionId=${line}`);
    expect(found).toMatchObject([{ kind: 'spend_spike', status: 'open', evidence: { currency: 'EUR' } }]);
    expect(Number((found[0]!.evidence as { spent: string }).spent)).toBeGreaterThan(20);
  });

  it('opens an unexpected_country case for calls to a country the line never called, with a baseline', async () => {
    const set = await f.call('PUT', '/v1/fraud-rules/unexpected_country', {
      enabled: true,
      action: 'alert',
      notify: true,
      params: { minCalls: 3 },
    });
    expect(set.statusCode).toBe(200);
    const msisdn = '+4915112345678';
    const line = await f.lineOf(msisdn);
    const abroad = (i: number) => ({
      id: `abroad-${i}`,
      destination: `+1212555010${i}`,
      at: ago((60 - i) * MINUTE_MS),
      seconds: 60,
    });
    await f.calls(msisdn, [abroad(0), abroad(1)]);
    expect((await f.cases(`?subscriptionId=${line}`)).map((c) => c.kind)).toEqual(['spend_spike']);
    await f.calls(msisdn, [abroad(2)]);
    // Both cases opened at the fixture's one instant: their order is the ids'.
    const found = (await f.cases(`?subscriptionId=${line}`)).filter((c) => c.kind === 'unexpected_country');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      evidence: { basis: 'destination', countries: [{ country: '1', calls: 3 }], homeCountry: '49' },
    });
  });
});
