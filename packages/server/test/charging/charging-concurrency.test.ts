import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/api-keys.js';
import type { ChargingEngine } from '../../src/charging/charging-engine.js';
import type { CreditControlResult } from '../../src/diameter/credit-control-call.js';
import { DiameterClient } from '../../src/diameter/diameter-client.js';
import { type DiameterServer, startDiameterServer } from '../../src/diameter/start-diameter-server.js';
import { buildApp } from '../../src/http/build-app.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type ChargingFixture, openChargingFixture } from './charging-fixture.js';
import {
  HttpClient,
  type JsonResponse,
  ledgerProblems,
  mainBucket,
  tally,
  whileWatching,
} from './charging-load.js';

/**
 * Many requests at once on one balance (DESIGN.md sections 5 and 9): through real HTTP
 * connections and real Diameter connections into the group-committing engine, on whichever
 * database the suite runs on. Every expectation is a count or an amount, never a duration.
 */

const BERLIN = '+4930123456';
/** A 60 s voice initiate to Berlin at the fixture's peak time: connect 0.02 + first minute 0.05. */
const INITIATE_MICROS = 70_000n;
const SMS_MICROS = 90_000n;
const REQUESTS = 200;
const CONNECTIONS = 50;
const AFFORDABLE = 100;

/** Unique per run, so session ids never meet those of an earlier test in the same database. */
const run = randomBytes(4).toString('hex');

interface Node {
  readonly engine: ChargingEngine;
  readonly app: FastifyInstance;
  readonly baseUrl: string;
  readonly diameter: DiameterServer;
  /** Every TCP connection the HTTP server accepted. */
  readonly connectionsAccepted: number;
}

let fixture: ChargingFixture;
let apiKey: string;
/** Two engines on one database, each with its own HTTP and Diameter server: two "nodes". */
let nodes: [Node, Node];
/** What the engines reported failing: nothing, when the database does its job. */
const engineErrors: string[] = [];

async function startNode(): Promise<Node> {
  const lanes = fixture.database.driver === 'pglite' ? 1 : 4;
  const engine = fixture.engine({
    lanes,
    onError: (error) => engineErrors.push(error instanceof Error ? error.message : String(error)),
  });
  const now = () => fixture.clock.now;
  const app = await buildApp({ db: fixture.database.db, now, charging: engine });
  let accepted = 0;
  app.server.on('connection', () => {
    accepted += 1;
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const diameter = await startDiameterServer({
    port: 0,
    host: '127.0.0.1',
    originHost: 'ocs.tollgate.test',
    originRealm: 'tollgate.test',
    resolveTenant: () => fixture.tenantId,
    creditControl: engine,
  });
  return {
    engine,
    app,
    baseUrl,
    diameter,
    get connectionsAccepted() {
      return accepted;
    },
  };
}

beforeAll(async () => {
  fixture = await openChargingFixture();
  apiKey = (await issueApiKey(fixture.database.db, fixture.tenantId, 'concurrency test', 'operator')).key;
  nodes = [await startNode(), await startNode()];
}, 60_000);

afterAll(async () => {
  for (const node of nodes ?? []) {
    await node.diameter.close();
    await node.app.close();
  }
  await fixture?.close();
});

function initiateBody(sessionId: string, msisdn = fixture.prepaid.msisdn) {
  return {
    sessionId,
    subscriber: { kind: 'msisdn', value: msisdn },
    services: [{ ratingGroup: 1, destination: BERLIN, requestedUnits: 60 }],
  };
}

function sessionPath(sessionId: string, action: 'updates' | 'termination'): string {
  return `/v1/charging/sessions/${encodeURIComponent(sessionId)}/${action}`;
}

/** The prepaid main bucket starts each test empty and unreserved, then holds exactly `amount`. */
async function freshPrepaidBalance(amount: string): Promise<void> {
  expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
    balance: 0n,
    reserved: 0n,
  });
  await fixture.topUp(fixture.prepaid.accountId, amount);
}

async function prepaidAvailable(): Promise<bigint> {
  const { balance, reserved } = await mainBucket(fixture.database.db, fixture.prepaid.accountId);
  return balance - reserved;
}

async function countRows(query: Promise<{ count: string | number | bigint }>): Promise<number> {
  return Number((await query).count);
}

function sessionsWithKey(sessionKey: string) {
  return countRows(
    fixture.database.db
      .selectFrom('charging_sessions')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('session_key', '=', sessionKey)
      .executeTakeFirstOrThrow(),
  );
}

function reservationsOfSession(sessionKey: string) {
  return countRows(
    fixture.database.db
      .selectFrom('reservations as r')
      .innerJoin('charging_sessions as s', 's.id', 'r.session_id')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('s.session_key', '=', sessionKey)
      .executeTakeFirstOrThrow(),
  );
}

function chargesWithReference(reference: string) {
  return countRows(
    fixture.database.db
      .selectFrom('ledger_transactions')
      .select(({ fn }) => fn.countAll<string>().as('count'))
      .where('reference', '=', reference)
      .where('kind', '=', 'charge')
      .executeTakeFirstOrThrow(),
  );
}

function resultOf(response: JsonResponse): string {
  if (response.status !== 200) return `${response.status} ${response.body?.code}`;
  return response.body.services.map((s: { resultCode: string }) => s.resultCode).join(',');
}

describe(`charging concurrency over the JSON API and Diameter (${DATABASE_LABEL})`, () => {
  it(`grants exactly ${AFFORDABLE} of ${REQUESTS} concurrent initiates over ${CONNECTIONS} HTTP connections`, async () => {
    await freshPrepaidBalance('7.00');
    const [node] = nodes;
    const acceptedBefore = node.connectionsAccepted;
    const client = new HttpClient(node.baseUrl, apiKey, CONNECTIONS);
    const ids = Array.from({ length: REQUESTS }, (_, i) => `http-${run}-${i}`);
    const { result: responses, ...observed } = await whileWatching(prepaidAvailable, () =>
      Promise.all(ids.map((id) => client.post('/v1/charging/sessions', initiateBody(id)))),
    );
    expect(client.sockets.size).toBe(CONNECTIONS);
    expect(node.connectionsAccepted - acceptedBefore).toBe(CONNECTIONS);

    expect(tally(responses, resultOf)).toEqual({
      success: AFFORDABLE,
      insufficient_balance: REQUESTS - AFFORDABLE,
    });
    const granted = ids.filter((_, i) => responses[i]!.body.services[0].resultCode === 'success');
    for (const [i, response] of responses.entries()) {
      const [service] = response.body.services;
      expect(response.body.sessionId).toBe(ids[i]);
      expect(service).toMatchObject(
        service.resultCode === 'success'
          ? { grantedUnits: 60, finalUnit: false, charged: '0' }
          : { grantedUnits: 0, finalUnit: true },
      );
    }
    expect(observed.samples).toBeGreaterThan(0);
    expect(observed.lowest).toBeGreaterThanOrEqual(0n);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: 7_000_000n,
      reserved: BigInt(AFFORDABLE) * INITIATE_MICROS,
    });
    // Refused initiates leave no session behind; granted ones one session and one hold each.
    const { rows } = await sql<{ sessions: number; pending: number }>`
      select (select count(*)::int4 from charging_sessions where session_key like ${`http-${run}-%`}) as sessions,
             (select count(*)::int4 from reservations r join charging_sessions s on s.id = r.session_id
               where s.session_key like ${`http-${run}-%`} and r.status = 'pending') as pending`.execute(
      fixture.database.db,
    );
    expect(rows[0]).toEqual({ sessions: AFFORDABLE, pending: AFFORDABLE });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);

    // The granted calls all end at once, each using its minute: the holds become charges.
    const ended = await Promise.all(
      granted.map((id) =>
        client.post(sessionPath(id, 'termination'), {
          requestNumber: 1,
          services: [{ ratingGroup: 1, usedUnits: 60 }],
        }),
      ),
    );
    expect(tally(ended, (r) => `${r.status} ${r.body.services?.[0]?.charged}`)).toEqual({
      '200 0.07': AFFORDABLE,
    });
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: 0n,
      reserved: 0n,
    });
    const balance = await client.get(`/v1/accounts/${fixture.prepaid.accountId}/balance`);
    expect(balance.body).toMatchObject({ mainBalance: '0.00', availableToSpend: '0.00' });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(engineErrors).toEqual([]);
    client.close();
  });

  it(`grants exactly ${AFFORDABLE} of ${REQUESTS} concurrent CCR-Initial over ${CONNECTIONS} Diameter connections`, async () => {
    await freshPrepaidBalance('7.00');
    const [node] = nodes;
    const clients = await connectDiameter(node.diameter.port, CONNECTIONS);
    const subscriber = { kind: 'msisdn', value: fixture.prepaid.msisdn } as const;
    const calls = Array.from({ length: REQUESTS }, (_, i) => ({
      client: clients[i % CONNECTIONS]!,
      sessionId: `pgw.tollgate.test;${run};${i}`,
    }));
    const { result: answers, ...observed } = await whileWatching(prepaidAvailable, () =>
      Promise.all(
        calls.map(({ client, sessionId }) =>
          client.creditControl({
            sessionId,
            requestType: 'initial',
            requestNumber: 0,
            subscriber,
            destination: BERLIN,
            services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 60n }],
          }),
        ),
      ),
    );
    const summary = (a: CreditControlResult) =>
      `${a.resultCode}/${a.services[0]?.resultCode}/${a.services[0]?.grantedUnits ?? '-'}`;
    expect(tally(answers, summary)).toEqual({
      '2001/2001/60': AFFORDABLE,
      '4012/4012/-': REQUESTS - AFFORDABLE,
    });
    for (const [i, answer] of answers.entries()) expect(answer.sessionId).toBe(calls[i]!.sessionId);
    expect(observed.lowest).toBeGreaterThanOrEqual(0n);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: 7_000_000n,
      reserved: BigInt(AFFORDABLE) * INITIATE_MICROS,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);

    const granted = calls.filter((_, i) => answers[i]!.resultCode === 2001);
    const terminations = await Promise.all(
      granted.map(({ client, sessionId }) =>
        client.creditControl({
          sessionId,
          requestType: 'termination',
          requestNumber: 1,
          services: [{ ratingGroup: 1, unit: 'seconds', usedUnits: 60n }],
        }),
      ),
    );
    expect(tally(terminations, (a) => String(a.resultCode))).toEqual({ '2001': AFFORDABLE });
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: 0n,
      reserved: 0n,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(engineErrors).toEqual([]);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('never takes a hot postpaid account below its credit limit: 500 concurrent SMS on two lines', async () => {
    const { accountId } = fixture.postpaid;
    const client = new HttpClient(nodes[0].baseUrl, apiKey, CONNECTIONS);
    const limited = await client.patch(`/v1/accounts/${accountId}`, { creditLimit: '9.00' });
    expect(limited).toMatchObject({ status: 200, body: { creditLimit: '9.00' } });
    expect(await mainBucket(fixture.database.db, accountId)).toEqual({ balance: 0n, reserved: 0n });
    const affordable = 100; // 9.00 / 0.09
    const events = 500;
    const lines = [fixture.postpaid.msisdn, '+4915112345679'];
    const available = async () => {
      const { balance, reserved } = await mainBucket(fixture.database.db, accountId);
      return balance - reserved;
    };
    const { result: responses, ...observed } = await whileWatching(available, () =>
      Promise.all(
        Array.from({ length: events }, (_, i) =>
          client.post('/v1/charging/events', smsBody(`sms-${run}-${i}`, lines[i % 2]!)),
        ),
      ),
    );
    expect(tally(responses, resultOf)).toEqual({
      success: affordable,
      '422 insufficient_balance': events - affordable,
    });
    for (const response of responses.filter((r) => r.status === 200))
      expect(response.body.services).toMatchObject([{ charged: '0.09', grantedUnits: 1 }]);
    expect(observed.lowest).toBeGreaterThanOrEqual(-9_000_000n);
    expect(await mainBucket(fixture.database.db, accountId)).toEqual({
      balance: -BigInt(affordable) * SMS_MICROS,
      reserved: 0n,
    });
    const charges = await countRows(
      fixture.database.db
        .selectFrom('ledger_transactions')
        .select(({ fn }) => fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .where('kind', '=', 'charge')
        .executeTakeFirstOrThrow(),
    );
    expect(charges).toBe(affordable);
    const balance = await client.get(`/v1/accounts/${accountId}/balance`);
    expect(balance.body).toMatchObject({
      mainBalance: '-9.00',
      creditLimit: '9.00',
      availableToSpend: '0.00',
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(engineErrors).toEqual([]);
    client.close();
  });
});

/**
 * Retries and duplicates (RFC 4006 section 5.1: a peer may resend a request to another server):
 * the same request sent 20 times at once over 20 connections gets one answer, identical every
 * time, and moves money once. On one node the engine shares the running request's answer; across
 * two nodes (two engines on one database, as two processes would be) only the database can
 * order them, and the later ones must get the stored answer.
 */
describe.each([
  { topology: 'one node', spread: 1 },
  { topology: 'two nodes on one database', spread: 2 },
])(`duplicate storms on $topology (${DATABASE_LABEL})`, ({ topology, spread }) => {
  const tag = topology.replaceAll(' ', '-');
  const nodeOf = (i: number) => nodes[i % spread]!;
  const httpClients = () =>
    Array.from({ length: 20 }, (_, i) => new HttpClient(nodeOf(i).baseUrl, apiKey, 1));
  const diameterClients = async () =>
    (
      await Promise.all(
        nodes.slice(0, spread).map((node) => connectDiameter(node.diameter.port, 20 / spread)),
      )
    ).flat();

  beforeAll(() => fixture.topUp(fixture.prepaid.accountId, '1.00'));

  it('answers 20 identical initiates once: one session, one hold', async () => {
    const before = await mainBucket(fixture.database.db, fixture.prepaid.accountId);
    const clients = httpClients();
    const sessionId = `dup-init-${tag}-${run}`;
    const responses = await Promise.all(
      clients.map((client) => client.post('/v1/charging/sessions', initiateBody(sessionId))),
    );
    for (const client of clients) client.close();
    // Money first: whatever the answers, it moved once.
    expect(await sessionsWithKey(sessionId)).toBe(1);
    expect(await reservationsOfSession(sessionId)).toBe(1);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: before.balance,
      reserved: before.reserved + INITIATE_MICROS,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(new Set(clients.flatMap((c) => [...c.sockets])).size).toBe(20);
    expect(tally(responses, resultOf)).toEqual({ success: 20 });
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(responses[0]?.body).toMatchObject({ sessionId, services: [{ grantedUnits: 60 }] });
  });

  it('answers 20 identical terminations once: one charge', async () => {
    const before = await mainBucket(fixture.database.db, fixture.prepaid.accountId);
    const clients = httpClients();
    const sessionId = `dup-term-${tag}-${run}`;
    const initiated = await clients[0]!.post('/v1/charging/sessions', initiateBody(sessionId));
    expect(resultOf(initiated)).toBe('success');
    const responses = await Promise.all(
      clients.map((client) =>
        client.post(sessionPath(sessionId, 'termination'), {
          requestNumber: 1,
          services: [{ ratingGroup: 1, usedUnits: 60 }],
        }),
      ),
    );
    for (const client of clients) client.close();
    // Money first: whatever the answers, it moved once.
    expect(await chargesWithReference(sessionId)).toBe(1);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: before.balance - INITIATE_MICROS,
      reserved: before.reserved,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(tally(responses, (r) => `${r.status} ${r.body.services?.[0]?.charged ?? r.body.code}`)).toEqual({
      '200 0.07': 20,
    });
    for (const response of responses) expect(response).toEqual(responses[0]);
  });

  it('answers 20 identical CCR-Initial over 20 Diameter connections once', async () => {
    const before = await mainBucket(fixture.database.db, fixture.prepaid.accountId);
    const clients = await diameterClients();
    const sessionId = `pgw.tollgate.test;${run};dup-${tag}`;
    const answers = await Promise.all(
      clients.map((client) =>
        client.creditControl({
          sessionId,
          requestType: 'initial',
          requestNumber: 0,
          subscriber: { kind: 'msisdn', value: fixture.prepaid.msisdn },
          destination: BERLIN,
          services: [{ ratingGroup: 1, unit: 'seconds', requestedUnits: 60n }],
        }),
      ),
    );
    await Promise.all(clients.map((client) => client.close()));
    // Money first: whatever the answers, it moved once.
    expect(await sessionsWithKey(sessionId)).toBe(1);
    expect(await reservationsOfSession(sessionId)).toBe(1);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: before.balance,
      reserved: before.reserved + INITIATE_MICROS,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(tally(answers, (a) => String(a.resultCode))).toEqual({ '2001': 20 });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ sessionId, services: [{ resultCode: 2001, grantedUnits: 60n }] });
  });

  it('charges 20 identical SMS events once', async () => {
    const before = await mainBucket(fixture.database.db, fixture.prepaid.accountId);
    const clients = httpClients();
    const eventId = `dup-sms-${tag}-${run}`;
    const responses = await Promise.all(
      clients.map((client) => client.post('/v1/charging/events', smsBody(eventId, fixture.prepaid.msisdn))),
    );
    for (const client of clients) client.close();
    // Money first: whatever the answers, it moved once.
    expect(await chargesWithReference(eventId)).toBe(1);
    expect(await mainBucket(fixture.database.db, fixture.prepaid.accountId)).toEqual({
      balance: before.balance - SMS_MICROS,
      reserved: before.reserved,
    });
    expect(await ledgerProblems(fixture.database.db)).toEqual([]);
    expect(tally(responses, resultOf)).toEqual({ success: 20 });
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(responses[0]?.body).toMatchObject({ services: [{ charged: '0.09' }] });
  });
});

function smsBody(eventId: string, msisdn: string) {
  return {
    eventId,
    subscriber: { kind: 'msisdn', value: msisdn },
    services: [{ ratingGroup: 2, destination: '+4915199999999', requestedUnits: 1 }],
  };
}

function connectDiameter(port: number, count: number): Promise<DiameterClient[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      DiameterClient.connect({
        port,
        originHost: `pgw${i}.test.example`,
        originRealm: 'test.example',
        destinationRealm: 'tollgate.test',
        timeoutMs: 60_000,
      }),
    ),
  );
}
