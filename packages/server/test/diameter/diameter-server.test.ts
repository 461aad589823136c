import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Avp } from '../../src/diameter/avp.js';
import { makeAvp } from '../../src/diameter/avp-definition.js';
import { BASE_AVPS } from '../../src/diameter/base-avps.js';
import { CREDIT_CONTROL_AVPS as CC } from '../../src/diameter/credit-control-avps.js';
import { DiameterClient } from '../../src/diameter/diameter-client.js';
import { encodeMessage } from '../../src/diameter/encode-message.js';
import { findValue, isAvp } from '../../src/diameter/find-avp.js';
import { readCreditControlAnswer } from '../../src/diameter/read-credit-control-answer.js';
import { ccrMessage, RawPeer, startTestServer } from './diameter-fixtures.js';

const setup = await startTestServer();
const { server, creditControl } = setup;

function connectClient(originRealm = 'test.example'): Promise<DiameterClient> {
  return DiameterClient.connect({
    port: server.port,
    originHost: 'pgw.test.example',
    originRealm,
    destinationRealm: 'tollgate.example',
  });
}

let client: DiameterClient;
beforeAll(async () => {
  client = await connectClient();
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('Diameter Gy/Ro server with our client', () => {
  it('runs a voice session: initial, update and termination', async () => {
    const sessionId = client.newSessionId();
    const subscriber = { kind: 'msisdn', value: '491700000001' } as const;
    const initial = await client.creditControl({
      sessionId,
      requestType: 'initial',
      requestNumber: 0,
      subscriber,
      destination: '+4930123456',
      services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 120n }],
    });
    expect(initial).toMatchObject({ resultCode: 2001, sessionId, requestType: 1, requestNumber: 0 });
    expect(initial.services).toEqual([
      {
        ratingGroup: 1,
        resultCode: 2001,
        unit: 'seconds',
        grantedUnits: 120n,
        validityTimeSeconds: 600,
        finalUnit: false,
      },
    ]);
    expect(creditControl.calls.at(-1)?.request).toMatchObject({
      tenantId: 'tenant-1',
      subscriber: { kind: 'msisdn', value: '+491700000001' },
      services: [{ ratingGroup: 1, destination: '+4930123456', requestedUnits: 120n }],
    });
    const update = await client.creditControl({
      sessionId,
      requestType: 'update',
      requestNumber: 1,
      services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 120n, usedUnits: 100n }],
    });
    expect(update.services[0]).toMatchObject({ resultCode: 2001, grantedUnits: 120n });
    expect(creditControl.calls.at(-1)?.request.services).toEqual([
      { ratingGroup: 1, destination: undefined, requestedUnits: 120n, usedUnits: 100n },
    ]);
    const termination = await client.creditControl({
      sessionId,
      requestType: 'termination',
      requestNumber: 2,
      services: [{ ratingGroup: 1, unit: 'seconds', usedUnits: 30n }],
    });
    expect(termination).toMatchObject({ resultCode: 2001, requestType: 3, services: [] });
    expect(creditControl.balances.get('491700000001')).toBe(1_000n - 130n);
  });

  it('grants what is left with a final-unit indication, then refuses with 4012', async () => {
    const sessionId = client.newSessionId();
    const subscriber = { kind: 'msisdn', value: '491700000002' } as const;
    const services = [{ ratingGroup: 2, unit: 'bytes', requestedUnits: 1_000n }] as const;
    const first = await client.creditControl({
      sessionId,
      requestType: 'initial',
      requestNumber: 0,
      subscriber,
      services,
    });
    expect(first.services[0]).toMatchObject({ unit: 'bytes', grantedUnits: 30n, finalUnit: true });
    const other = await client.creditControl({
      sessionId: client.newSessionId(),
      requestType: 'initial',
      requestNumber: 0,
      subscriber,
      services,
    });
    expect(other.resultCode).toBe(4012);
    expect(other.services).toEqual([
      {
        ratingGroup: 2,
        resultCode: 4012,
        unit: undefined,
        grantedUnits: undefined,
        validityTimeSeconds: undefined,
        finalUnit: false,
      },
    ]);
  });

  it('keeps 2001 at command level when one of several services is refused', async () => {
    const answer = await client.creditControl({
      sessionId: client.newSessionId(),
      requestType: 'initial',
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: '491700000001' },
      services: [
        { ratingGroup: 3, unit: 'messages', requestedUnits: 'default' },
        { ratingGroup: 99, unit: 'units', requestedUnits: 5n },
      ],
    });
    expect(answer.resultCode).toBe(2001);
    expect(
      answer.services.map((service) => [service.ratingGroup, service.resultCode, service.grantedUnits]),
    ).toEqual([
      [3, 2001, 60n],
      [99, 4010, undefined],
    ]);
  });

  it('charges an event (direct debiting) in service-specific units', async () => {
    const answer = await client.creditControl({
      sessionId: client.newSessionId(),
      requestType: 'event',
      requestNumber: 0,
      subscriber: { kind: 'msisdn', value: '491700000001' },
      services: [{ ratingGroup: 3, unit: 'messages', requestedUnits: 1n }],
    });
    expect(answer.services[0]).toMatchObject({ resultCode: 2001, unit: 'units', grantedUnits: 1n });
    expect(creditControl.calls.at(-1)?.operation).toBe('event');
  });

  it.each([
    ['an unknown subscriber', 'nobody', 5030, false],
    ['an unavailable balance store', 'busy', 3004, true],
    ['a charging port that throws', 'boom', 3004, true],
  ])('answers %s with %s', async (_name, subscriber, resultCode, errorBit) => {
    const peer = await RawPeer.open(server.port);
    peer.write(encodeMessage(ccrMessage({ subscriber: { kind: 'msisdn', value: subscriber } })));
    const answer = await peer.next();
    expect(findValue(answer.avps, BASE_AVPS.resultCode)).toBe(resultCode);
    expect(answer.error).toBe(errorBit);
    expect(answer.avps[0]).toMatchObject({ code: 263, value: 'pgw.test.example;1;1' });
    peer.write(encodeMessage(ccrMessage({ requestType: 'update', requestNumber: 1, sessionId: 'gone' })));
    expect(findValue((await peer.next()).avps, BASE_AVPS.resultCode)).toBe(5002);
    peer.socket.destroy();
  });

  it('answers a CCR in single-service form in the same form, as rating group 0', async () => {
    const peer = await RawPeer.open(server.port);
    const ccr = ccrMessage({ services: [] });
    const avps: Avp[] = [
      ...ccr.avps.filter((avp) => !isAvp(avp, CC.multipleServicesIndicator)),
      makeAvp(CC.requestedServiceUnit, [makeAvp(CC.ccServiceSpecificUnits, 5n)]),
    ];
    peer.write(encodeMessage({ ...ccr, avps }));
    const answer = await peer.next();
    expect(findValue(answer.avps, BASE_AVPS.resultCode)).toBe(2001);
    expect(readCreditControlAnswer(answer).services).toEqual([
      {
        ratingGroup: 0,
        resultCode: 2001,
        unit: 'units',
        grantedUnits: 5n,
        validityTimeSeconds: 600,
        finalUnit: false,
      },
    ]);
    peer.socket.destroy();
  });

  it('pipelines a thousand requests on one connection and matches every answer', async () => {
    const subscriber = { kind: 'msisdn', value: '491700000001' } as const;
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, (_, index) =>
        client.creditControl({
          sessionId: `pipelined;${index}`,
          requestType: 'update',
          requestNumber: index,
          subscriber,
          services: [{ ratingGroup: 1, unit: 'seconds' }],
        }),
      ),
    );
    expect(answers.map((answer) => answer.sessionId)).toEqual(
      answers.map((_, index) => `pipelined;${index}`),
    );
    expect(answers.every((answer) => answer.resultCode === 5002)).toBe(true);
    expect(client.inFlight).toBe(0);
  });

  it('refuses a peer no tenant knows with 3010 and closes the connection', async () => {
    await expect(connectClient('stranger.net')).rejects.toThrow(/Result-Code 3010/);
  });
});
