import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHARGING_SETTINGS } from '../../src/charging/charging-settings.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  firingsOf,
  messageSourcesOf,
  openThresholdsFixture,
  type ThresholdsFixture,
} from './thresholds-fixture.js';

/**
 * The demo tariff has no rate for 112, so these tests declare a priced Berlin number an
 * emergency number (the rule looks at the dialled digits, whatever the price).
 */
const EMERGENCY = '+4930112';
const ALLOWED = '+4930999999';

describe(`spending caps when reached (${DATABASE_LABEL})`, () => {
  let fixture: ThresholdsFixture;
  let lineId: string;
  let n = 0;
  const accountId = () => fixture.charging.prepaid.accountId;
  const call = (destination: string, seconds = 60) =>
    fixture.post('/v1/charging/events', {
      eventId: `cap-${++n}`,
      subscriber: { kind: 'msisdn', value: fixture.charging.prepaid.msisdn },
      services: [{ ratingGroup: 1, destination, requestedUnits: seconds }],
    });
  const setCap = (body: object) => fixture.call('PUT', `/v1/subscriptions/${lineId}/spending-cap`, body);

  beforeAll(async () => {
    fixture = await openThresholdsFixture({
      settings: {
        ...DEFAULT_CHARGING_SETTINGS,
        emergencyNumbers: new Set(['112', EMERGENCY.replace('+', '')]),
      },
    });
    lineId = await fixture.lineOf(fixture.charging.prepaid.msisdn);
    await fixture.charging.topUp(accountId(), '10.00');
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it("refuses every chargeable call at the cap under 'refuse', and tells once per period", async () => {
    const set = await setCap({ limit: '0.10', period: 'day' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ whenReached: 'refuse', allowedDestinations: [] });
    expect((await call('+4930123456')).statusCode).toBe(200); // 0.07: under the cap
    const refused = await call('+4930123456');
    expect([refused.statusCode, refused.json().code]).toEqual([422, 'insufficient_balance']);
    expect(refused.json().detail).toMatch(/spending cap/);
    // A cap never stops an emergency call, whatever it costs.
    expect((await call(EMERGENCY)).statusCode).toBe(200);
    await fixture.evaluator.idle();
    const caps = (await firingsOf(fixture, accountId())).filter((f) => f.kind === 'spending_cap');
    expect(caps).toHaveLength(1);
    expect(await messageSourcesOf(fixture, accountId(), 'spending_cap_reached')).toEqual([
      `firing:${caps[0]!.id}`,
    ]);
  });

  it("serves emergency and listed destinations at the cap under 'essential_only'", async () => {
    const set = await setCap({
      limit: '0.10',
      period: 'day',
      whenReached: 'essential_only',
      allowedDestinations: [ALLOWED],
    });
    expect(set.json()).toMatchObject({ whenReached: 'essential_only', allowedDestinations: [ALLOWED] });
    expect((await call('+4930123456')).statusCode).toBe(422);
    const emergency = await call(EMERGENCY);
    expect(emergency.statusCode).toBe(200);
    expect(emergency.json().services[0]).toMatchObject({ resultCode: 'success', grantedUnits: 60 });
    expect((await call(ALLOWED)).statusCode).toBe(200);
    // Changing only the limit keeps the mode.
    const raised = await setCap({ limit: '0.50', period: 'day' });
    expect(raised.json()).toMatchObject({ whenReached: 'essential_only' });
  });

  it('lets the next call through once the cap is raised', async () => {
    await setCap({ limit: '5.00', period: 'day', whenReached: 'refuse' });
    expect((await call('+4930123456')).statusCode).toBe(200);
  });
});
