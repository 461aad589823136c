import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCharging } from '../../src/cli/start-charging.js';
import { loadConfig } from '../../src/config/load-config.js';
import { DiameterClient } from '../../src/diameter/diameter-client.js';
import type { DiameterServer } from '../../src/diameter/start-diameter-server.js';
import { type ChargingFixture, mainBalance, openChargingFixture } from './charging-fixture.js';

/** The Diameter server as `tollgate serve` starts it: the real engine, the demo tenant, a peer allow-list. */
describe('Diameter credit control on the real engine', () => {
  let fixture: ChargingFixture;
  let server: DiameterServer;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    fixture = await openChargingFixture();
    await fixture.topUp(fixture.prepaid.accountId, '1.00');
    const loaded = await loadConfig({}, { diameterPort: 0, diameterPeers: 'pgw.allowed.example' });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const charging = await startCharging(loaded.config, fixture.database, () => fixture.clock.now, new Map());
    const started = await charging.startDiameter();
    if (started === null) throw new Error('the Diameter server did not start');
    server = started;
    stop = charging.stop;
  });
  afterAll(async () => {
    await server.close();
    await stop();
    await fixture.close();
  });

  const connect = (originHost: string) =>
    DiameterClient.connect({
      port: server.port,
      originHost,
      originRealm: 'example',
      destinationRealm: 'localdomain',
    });

  it('refuses a peer that is not on the allow-list', async () => {
    await expect(connect('pgw.other.example')).rejects.toThrow();
  });

  it('charges a voice session of an E.164 subscriber through the ledger', async () => {
    const client = await connect('pgw.allowed.example');
    try {
      const sessionId = client.newSessionId();
      const subscriber = { kind: 'msisdn', value: '+4917698765432' } as const;
      const voice = { ratingGroup: 1, unit: 'seconds' } as const;
      const initial = await client.creditControl({
        sessionId,
        requestType: 'initial',
        requestNumber: 0,
        subscriber,
        destination: '+4930123456',
        services: [{ ...voice, requestedUnits: 60n }],
      });
      expect(initial).toMatchObject({
        resultCode: 2001,
        services: [{ resultCode: 2001, grantedUnits: 60n }],
      });
      const ended = await client.creditControl({
        sessionId,
        requestType: 'termination',
        requestNumber: 1,
        services: [{ ...voice, usedUnits: 45n }],
      });
      expect(ended.resultCode).toBe(2001);
      // 45 s at peak: the connect fee and the first minute.
      expect(await mainBalance(fixture, fixture.prepaid.accountId)).toEqual({
        balance: 930_000n,
        reserved: 0n,
      });
    } finally {
      await client.close();
    }
  });
});
