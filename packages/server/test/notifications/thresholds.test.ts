import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateThresholds } from '../../src/notifications/thresholds/evaluate-thresholds.js';
import { setNotificationRule } from '../../src/notifications/thresholds/set-notification-rule.js';
import { PEAK_TIME } from '../charging/charging-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  firingsOf,
  messageSourcesOf,
  openThresholdsFixture,
  type ThresholdsFixture,
} from './thresholds-fixture.js';

const DAY_MS = 86_400_000;
const subscriber = { kind: 'msisdn', value: '+4917698765432' };

describe(`bill-shock thresholds through the charging API (${DATABASE_LABEL})`, () => {
  let fixture: ThresholdsFixture;
  let accountId: string;
  let bucketId: string;
  let eventNumber = 0;
  const talk = async (seconds: number) => {
    const response = await fixture.post('/v1/charging/events', {
      eventId: `voice-${++eventNumber}`,
      subscriber,
      services: [{ ratingGroup: 1, destination: '+4930123456', requestedUnits: seconds }],
    });
    expect(response.statusCode).toBe(200);
    await fixture.evaluator.idle();
    return response.json();
  };

  beforeAll(async () => {
    fixture = await openThresholdsFixture();
    accountId = fixture.charging.prepaid.accountId;
    await fixture.charging.topUp(accountId, '20.00');
    bucketId = await fixture.grantVoice(
      accountId,
      600,
      new Date(PEAK_TIME.getTime() - DAY_MS),
      new Date(PEAK_TIME.getTime() + 20 * DAY_MS),
    );
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('tells of 50 % and 80 % of a 10-minute allowance once 85 % is used, one message each', async () => {
    await talk(300);
    await talk(210);
    const fired = await firingsOf(fixture, accountId, bucketId);
    expect(fired.map((f) => [f.kind, f.level])).toEqual([
      ['allowance_used', '50'],
      ['allowance_used', '80'],
    ]);
    expect(await messageSourcesOf(fixture, accountId, 'allowance_used')).toEqual(
      fired.map((f) => `firing:${f.id}`).sort(),
    );
    const webhooks = await fixture.charging.database.db
      .selectFrom('webhook_events')
      .select('type')
      .where('type', '=', 'allowance.threshold')
      .execute();
    expect(webhooks).toHaveLength(2);
    expect(fixture.errors).toEqual([]);
  });

  it('tells nothing new at 90 %, nor when the same level is seen again in the cycle', async () => {
    await talk(30);
    await evaluateThresholds(
      fixture.charging.database.db,
      [{ tenantId: fixture.charging.tenantId, accountId }],
      fixture.charging.clock.now,
    );
    expect((await firingsOf(fixture, accountId, bucketId)).map((f) => f.level)).toEqual(['50', '80']);
    expect(await messageSourcesOf(fixture, accountId, 'allowance_used')).toHaveLength(2);
  });

  it('records a threshold once when two evaluations run at once', async () => {
    await talk(60);
    const db = fixture.charging.database.db;
    const touch = [{ tenantId: fixture.charging.tenantId, accountId }];
    const both = await Promise.all([
      evaluateThresholds(db, touch, fixture.charging.clock.now),
      evaluateThresholds(db, touch, fixture.charging.clock.now),
      evaluateThresholds(db, touch, fixture.charging.clock.now),
    ]);
    // The engine's own evaluation may have been first: at most one of all of them recorded it.
    expect(both.flat().filter((f) => f.level === '100').length).toBeLessThanOrEqual(1);
    expect((await firingsOf(fixture, accountId, bucketId)).map((f) => f.level)).toEqual(['50', '80', '100']);
    expect(await messageSourcesOf(fixture, accountId, 'allowance_used')).toHaveLength(3);
  });

  it("fires again in the next cycle, on the next cycle's allowance", async () => {
    const start = new Date(PEAK_TIME.getTime() + 21 * DAY_MS);
    fixture.charging.clock.now = start;
    try {
      const next = await fixture.grantVoice(accountId, 600, start, new Date(start.getTime() + 30 * DAY_MS));
      await talk(510);
      const fired = await firingsOf(fixture, accountId, next);
      expect(fired.map((f) => f.level)).toEqual(['50', '80']);
      expect(fired[0]!.cycleKey).not.toBe((await firingsOf(fixture, accountId, bucketId))[0]!.cycleKey);
    } finally {
      fixture.charging.clock.now = PEAK_TIME;
    }
  });

  it('tells of a prepaid balance below a level, once until the next top-up', async () => {
    const rule = await setNotificationRule(
      fixture.charging.database.db,
      fixture.charging.tenantId,
      { type: 'system', id: 'test' },
      { scope: 'account', scopeId: accountId, kind: 'balance_below', levels: ['19000000'], enabled: true },
      fixture.charging.clock.now,
    );
    expect(rule.ok).toBe(true);
    // 20.00 topped up; the voice allowance is spent, so these minutes take money.
    await talk(1200);
    await talk(60);
    const low = (await firingsOf(fixture, accountId)).filter((f) => f.kind === 'balance_below');
    expect(low.map((f) => f.level)).toEqual(['19000000']);
    expect(await messageSourcesOf(fixture, accountId, 'balance_low')).toHaveLength(1);
    fixture.charging.clock.now = new Date(PEAK_TIME.getTime() + 1000);
    try {
      await fixture.charging.topUp(accountId, '0.01');
      await talk(60);
    } finally {
      fixture.charging.clock.now = PEAK_TIME;
    }
    expect((await firingsOf(fixture, accountId)).filter((f) => f.kind === 'balance_below')).toHaveLength(2);
  });

  it('manages rules through the API and lists firings', async () => {
    const put = await fixture.call('PUT', '/v1/notification-rules', {
      scope: 'tenant',
      kind: 'allowance_used',
      levels: ['75', '90'],
      enabled: true,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ scope: 'tenant', scopeId: null, levels: ['75', '90'] });
    const bad = await fixture.call('PUT', '/v1/notification-rules', {
      scope: 'account',
      kind: 'credit_used',
      levels: ['80'],
      enabled: true,
    });
    expect(bad.statusCode).toBe(400);
    const listed = await fixture.call('GET', '/v1/notification-rules?kind=allowance_used');
    expect(listed.json().items).toHaveLength(1);
    const removed = await fixture.call('DELETE', '/v1/notification-rules?scope=tenant&kind=allowance_used');
    expect(removed.statusCode).toBe(204);
    const audit = await fixture.charging.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'notification_rule.%')
      .execute()
      .catch(() => null);
    if (audit !== null)
      expect(audit.map((a) => a.action).sort()).toEqual([
        'notification_rule.remove',
        'notification_rule.set',
        'notification_rule.set',
      ]);
    const firings = await fixture.call('GET', `/v1/accounts/${accountId}/notification-firings?limit=2`);
    expect(firings.statusCode).toBe(200);
    expect(firings.json().items).toHaveLength(2);
    expect(firings.json().nextCursor).not.toBeNull();
  });
});

describe(`credit limits through the charging API (${DATABASE_LABEL})`, () => {
  let fixture: ThresholdsFixture;
  beforeAll(async () => {
    fixture = await openThresholdsFixture();
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('tells a postpaid account at 80 % of its credit limit', async () => {
    const { accountId, msisdn } = fixture.charging.postpaid;
    await fixture.charging.database.db
      .updateTable('accounts')
      .set({ credit_limit_micros: 10_000_000n })
      .where('id', '=', accountId)
      .execute();
    const response = await fixture.post('/v1/charging/events', {
      eventId: 'credit-1',
      subscriber: { kind: 'msisdn', value: msisdn },
      services: [{ ratingGroup: 1, destination: '+4930123456', requestedUnits: 10_000 }],
    });
    expect(response.statusCode).toBe(200);
    await fixture.evaluator.idle();
    const main = await fixture.charging.database.db
      .selectFrom('balance_buckets')
      .select('balance')
      .where('account_id', '=', accountId)
      .where('is_main', '=', true)
      .executeTakeFirstOrThrow();
    const usedPercent = Number((-BigInt(main.balance) * 100n) / 10_000_000n);
    expect(usedPercent).toBeGreaterThanOrEqual(80);
    const fired = (await firingsOf(fixture, accountId)).filter((f) => f.kind === 'credit_used');
    expect(fired.map((f) => f.level)).toEqual(usedPercent >= 100 ? ['80', '100'] : ['80']);
    expect(await messageSourcesOf(fixture, accountId, 'credit_used')).toHaveLength(fired.length);
  });
});

describe(`thresholds through mediation (${DATABASE_LABEL})`, () => {
  let fixture: ThresholdsFixture;
  beforeAll(async () => {
    fixture = await openThresholdsFixture();
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('tells of an allowance used by recorded usage once its batch commits', async () => {
    const { accountId, msisdn } = fixture.charging.postpaid;
    const bucketId = await fixture.grantVoice(
      accountId,
      600,
      new Date(PEAK_TIME.getTime() - DAY_MS),
      new Date(PEAK_TIME.getTime() + 20 * DAY_MS),
    );
    const event = (id: string, units: number, minute: number) => ({
      id,
      subscriber: msisdn,
      service: 'call',
      destination: '+4930123456',
      startedAt: new Date(PEAK_TIME.getTime() + minute * 60_000).toISOString(),
      units,
    });
    const first = await fixture.post('/v1/usage', {
      events: [event('cdr-1', 240, 0), event('cdr-2', 270, 10)],
    });
    expect(first.json()).toMatchObject({ loaded: 2 });
    expect((await firingsOf(fixture, accountId, bucketId)).map((f) => f.level)).toEqual(['50', '80']);
    const again = await fixture.post('/v1/usage', { events: [event('cdr-3', 30, 20)] });
    expect(again.json()).toMatchObject({ loaded: 1 });
    expect((await firingsOf(fixture, accountId, bucketId)).map((f) => f.level)).toEqual(['50', '80']);
    expect(await messageSourcesOf(fixture, accountId, 'allowance_used')).toHaveLength(2);
  });
});
