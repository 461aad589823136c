import diameter, { type AvpArray, type NpmDiameterMessage, type NpmDiameterSocket } from 'diameter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './diameter-fixtures.js';

/**
 * An independent implementation as the peer: the npm `diameter` package encodes and decodes
 * with its own code and its own RFC 4006 dictionary. It reads one message per TCP chunk, so
 * requests here go one at a time.
 */
const { server, creditControl } = await startTestServer();
let socket: NpmDiameterSocket;

beforeAll(async () => {
  socket = await new Promise<NpmDiameterSocket>((resolve, reject) => {
    const created = diameter.createConnection({ host: '127.0.0.1', port: server.port, timeout: 2_000 }, () =>
      resolve(created),
    );
    created.once('error', reject);
  });
});
afterAll(async () => {
  socket.destroy();
  await server.close();
});

function value(body: AvpArray, name: string): unknown {
  return body.find(([avpName]) => avpName === name)?.[1];
}

function send(
  application: string,
  command: string,
  body: AvpArray,
  sessionId?: string,
): Promise<NpmDiameterMessage> {
  const connection = socket.diameterConnection;
  const request = connection.createRequest(application, command, sessionId);
  request.body = request.body.concat(body);
  return Promise.resolve(connection.sendRequest(request));
}

const ORIGIN: AvpArray = [
  ['Origin-Host', 'npm-peer.test.example'],
  ['Origin-Realm', 'test.example'],
];

function ccr(sessionId: string, type: string, number: number, extra: AvpArray): Promise<NpmDiameterMessage> {
  const body: AvpArray = [
    ...ORIGIN,
    ['Destination-Realm', 'tollgate.example'],
    ['Auth-Application-Id', 'Diameter Credit Control'],
    ['Service-Context-Id', '32260@3gpp.org'],
    ['CC-Request-Type', type],
    ['CC-Request-Number', number],
    ...extra,
  ];
  return send('Diameter Credit Control Application', 'Credit-Control', body, sessionId);
}

const SUBSCRIBER: AvpArray = [
  [
    'Subscription-Id',
    [
      ['Subscription-Id-Type', 'END_USER_E164'],
      ['Subscription-Id-Data', '491700000001'],
    ],
  ],
];

describe('Diameter server against the npm diameter package', () => {
  it('exchanges capabilities', async () => {
    const cea = await send('Diameter Common Messages', 'Capabilities-Exchange', [
      ...ORIGIN,
      ['Host-IP-Address', '127.0.0.1'],
      ['Vendor-Id', 10415],
      ['Product-Name', 'node-diameter'],
      ['Auth-Application-Id', 'Diameter Credit Control'],
    ]);
    expect(value(cea.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    expect(value(cea.body, 'Origin-Host')).toBe('ocs.tollgate.example');
    expect(value(cea.body, 'Product-Name')).toBe('Tollgate');
    expect(value(cea.body, 'Host-IP-Address')).toBe('127.0.0.1');
    expect(value(cea.body, 'Auth-Application-Id')).toBe('Diameter Credit Control');
  });

  it('runs a session: CCR-I, CCR-U and CCR-T', async () => {
    const sessionId = 'npm-peer.test.example;1;1';
    const initial = await ccr(sessionId, 'INITIAL_REQUEST', 0, [
      ...SUBSCRIBER,
      ['Multiple-Services-Indicator', 'MULTIPLE_SERVICES_SUPPORTED'],
      [
        'Multiple-Services-Credit-Control',
        [
          ['Requested-Service-Unit', [['CC-Time', 300]]],
          ['Rating-Group', 1],
        ],
      ],
    ]);
    expect(initial.body[0]).toEqual(['Session-Id', sessionId]);
    expect(value(initial.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    expect(value(initial.body, 'CC-Request-Type')).toBe('INITIAL_REQUEST');
    expect(value(initial.body, 'Multiple-Services-Credit-Control')).toEqual([
      ['Granted-Service-Unit', [['CC-Time', 300]]],
      ['Validity-Time', 600],
      ['Rating-Group', 1],
      ['Result-Code', 'DIAMETER_SUCCESS'],
    ]);
    const update = await ccr(sessionId, 'UPDATE_REQUEST', 1, [
      [
        'Multiple-Services-Credit-Control',
        [
          ['Requested-Service-Unit', [['CC-Time', 300]]],
          ['Used-Service-Unit', [['CC-Time', 280]]],
          ['Rating-Group', 1],
        ],
      ],
    ]);
    expect(value(update.body, 'CC-Request-Number')).toBe(1);
    expect(value(update.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    const termination = await ccr(sessionId, 'TERMINATION_REQUEST', 2, [
      [
        'Multiple-Services-Credit-Control',
        [
          ['Used-Service-Unit', [['CC-Time', 45]]],
          ['Rating-Group', 1],
        ],
      ],
      ['Termination-Cause', 'DIAMETER_LOGOUT'],
    ]);
    expect(value(termination.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    expect(
      creditControl.calls.slice(-3).map((call) => [call.operation, call.request.services[0]?.usedUnits]),
    ).toEqual([
      ['initiate', undefined],
      ['update', 280n],
      ['terminate', 45n],
    ]);
  });

  it('charges an event with DIRECT_DEBITING', async () => {
    const event = await ccr('npm-peer.test.example;1;2', 'EVENT_REQUEST', 0, [
      ...SUBSCRIBER,
      ['Requested-Action', 'DIRECT_DEBITING'],
      [
        'Multiple-Services-Credit-Control',
        [
          ['Requested-Service-Unit', [['CC-Service-Specific-Units', 1]]],
          ['Rating-Group', 3],
        ],
      ],
    ]);
    expect(value(event.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    const mscc = value(event.body, 'Multiple-Services-Credit-Control') as AvpArray;
    expect(value(mscc, 'Granted-Service-Unit')).toEqual([['CC-Service-Specific-Units', expect.anything()]]);
  });

  it('answers an unknown subscriber with DIAMETER_USER_UNKNOWN', async () => {
    const answer = await ccr('npm-peer.test.example;1;3', 'INITIAL_REQUEST', 0, [
      [
        'Subscription-Id',
        [
          ['Subscription-Id-Type', 'END_USER_IMSI'],
          ['Subscription-Id-Data', '262019999999999'],
        ],
      ],
    ]);
    expect(value(answer.body, 'Result-Code')).toBe('DIAMETER_USER_UNKNOWN');
  });

  it('answers DWR, then DPR', async () => {
    const dwa = await send('Diameter Common Messages', 'Device-Watchdog', ORIGIN);
    expect(value(dwa.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const dpa = await send('Diameter Common Messages', 'Disconnect-Peer', [
      ...ORIGIN,
      ['Disconnect-Cause', 'REBOOTING'],
    ]);
    expect(value(dpa.body, 'Result-Code')).toBe('DIAMETER_SUCCESS');
    await closed;
  });
});
