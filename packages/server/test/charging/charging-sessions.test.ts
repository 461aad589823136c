import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChargingFixture, mainBalance, openChargingFixture, voiceRequest } from './charging-fixture.js';

describe('credit-control sessions', () => {
  let fixture: ChargingFixture;
  beforeAll(async () => {
    fixture = await openChargingFixture();
    await fixture.topUp(fixture.prepaid.accountId, '1.00');
  });
  afterAll(() => fixture.close());

  it('reserves at initiate, commits used units at update and terminate, releases the rest', async () => {
    const engine = fixture.engine();
    const { accountId } = fixture.prepaid;
    // Berlin at peak: connect 0.02, first minute 0.05 by 60 s, then 0.05/min by 1 s.
    const initiated = await engine.initiate(voiceRequest(fixture, 's-1', 0, { requested: 300n }));
    expect(initiated).toMatchObject({
      ok: true,
      services: [{ resultCode: 'success', grantedUnits: 300n, finalUnit: false }],
    });
    expect(await mainBalance(fixture, accountId)).toEqual({ balance: 1_000_000n, reserved: 270_000n });

    const updated = await engine.update(voiceRequest(fixture, 's-1', 1, { used: 60n, requested: 300n }));
    expect(updated).toMatchObject({ ok: true, services: [{ grantedUnits: 300n, chargedMicros: 70_000n }] });
    // The next 300 s after the first minute: 300 × 0.05/60.
    expect(await mainBalance(fixture, accountId)).toEqual({ balance: 930_000n, reserved: 250_000n });

    const terminated = await engine.terminate(voiceRequest(fixture, 's-1', 2, { used: 30n }));
    expect(terminated).toMatchObject({ ok: true, services: [{ chargedMicros: 25_000n }] });
    expect(await mainBalance(fixture, accountId)).toEqual({ balance: 905_000n, reserved: 0n });
  });

  it('grants only what is left, marked final, and refuses when nothing is left', async () => {
    const engine = fixture.engine();
    const before = await mainBalance(fixture, fixture.prepaid.accountId);
    // 0.905 left: 0.07 for the first minute, then 0.835 buys 1002 s at 0.05/min.
    const big = await engine.initiate(voiceRequest(fixture, 's-2', 0, { requested: 3600n }));
    expect(big).toMatchObject({
      ok: true,
      services: [{ resultCode: 'success', finalUnit: true, grantedUnits: 1062n }],
    });
    const none = await engine.initiate(voiceRequest(fixture, 's-3', 0, { requested: 60n }));
    expect(none).toMatchObject({
      ok: true,
      services: [{ resultCode: 'insufficient_balance', grantedUnits: 0n }],
    });
    await engine.terminate(voiceRequest(fixture, 's-2', 1, { used: 0n }));
    expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual(before);
  });

  it('answers a retried request with its first answer and charges once', async () => {
    const engine = fixture.engine();
    await engine.initiate(voiceRequest(fixture, 's-4', 0, { requested: 60n }));
    const update = voiceRequest(fixture, 's-4', 1, { used: 60n, requested: 60n });
    const [first, concurrent] = await Promise.all([engine.update(update), engine.update(update)]);
    const later = await fixture.engine().update(update);
    expect(concurrent).toEqual(first);
    expect(later).toEqual(first);
    const charges = await fixture.database.db
      .selectFrom('ledger_transactions')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('reference', '=', 's-4')
      .executeTakeFirstOrThrow();
    expect(Number(charges.count)).toBe(1);
    await engine.terminate(voiceRequest(fixture, 's-4', 2, { used: 0n }));
  });

  it('expires a lapsed grant in full and refuses the late update', async () => {
    const engine = fixture.engine();
    const before = await mainBalance(fixture, fixture.prepaid.accountId);
    await engine.initiate(voiceRequest(fixture, 's-5', 0, { requested: 60n }));
    expect((await mainBalance(fixture, fixture.prepaid.accountId)).reserved).toBeGreaterThan(0n);
    const started = fixture.clock.now;
    fixture.clock.now = new Date(started.getTime() + 16 * 60_000);
    try {
      expect(await engine.expireLapsed()).toBe(1);
      expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual(before);
      const late = await engine.update(voiceRequest(fixture, 's-5', 1, { used: 60n }));
      expect(late).toMatchObject({ ok: false, code: 'session_expired' });
      expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual(before);
    } finally {
      fixture.clock.now = started;
    }
  });

  it('refuses unknown subscribers and sessions', async () => {
    const engine = fixture.engine();
    expect(
      await engine.initiate(voiceRequest(fixture, 's-6', 0, { requested: 60n }, '+4999999999')),
    ).toMatchObject({
      ok: false,
      code: 'unknown_subscriber',
    });
    expect(await engine.update(voiceRequest(fixture, 'nope', 1, { used: 1n }))).toMatchObject({
      ok: false,
      code: 'unknown_session',
    });
  });

  it('charges a postpaid line against its credit limit', async () => {
    const engine = fixture.engine();
    const answer = await engine.event({
      tenantId: fixture.tenantId,
      sessionId: 'sms-1',
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: fixture.postpaid.msisdn },
      services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 1n }],
    });
    expect(answer).toMatchObject({ ok: true, services: [{ resultCode: 'success', chargedMicros: 90_000n }] });
    expect(await mainBalance(fixture, fixture.postpaid.accountId)).toEqual({
      balance: -90_000n,
      reserved: 0n,
    });
  });
});
