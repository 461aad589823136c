import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.js';
import { REPO_ROOT } from '../run-cli.js';
import { TEST_DATABASE_URL } from '../test-database.js';
import { HttpClient, type JsonResponse, ledgerProblems, mainBucket, tally } from './charging-load.js';

/**
 * Two `tollgate serve` processes on one PostgreSQL (DESIGN.md section 5: nodes are stateless;
 * the database keeps them correct). Only with TEST_DATABASE_URL: PGlite is one process's file.
 */

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');
const PREPAID_MSISDN = '+4917698765432';
/**
 * A German fixed number outside Berlin: the demo tariff prices it at LOCAL_PEAK at every hour and
 * day (connect 0.02 + first minute 0.05), so a 60 s initiate holds 0.07 whenever the test runs.
 */
const HAMBURG = '+4940123456';
const INITIATE_MICROS = 70_000n;
const REQUESTS = 200;
const CONNECTIONS = 50;
const AFFORDABLE = 100;
const START_TIMEOUT_MS = 30_000;

interface ServeProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  output(): string;
}

const started: ServeProcess[] = [];
const spawned: ChildProcess[] = [];

/** Starts `tollgate serve` from source and waits for its banner and /ready. */
async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--conditions=tollgate-source', '--import', 'tsx', MAIN, 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TOLLGATE_CONFIG: '',
      TOLLGATE_HOST: '127.0.0.1',
      TOLLGATE_PORT: '0',
      TOLLGATE_LOG_LEVEL: 'warn',
      TOLLGATE_CHARGING_LANES: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const fail = (reason: string) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`tollgate serve ${reason}:\n${output}`));
    };
    const poll = setInterval(() => {
      const match = /running at (http:\/\/[\d.:]+)/.exec(output);
      // The banner is one write: once its address is there, so is the rest.
      if (match?.[1] !== undefined) {
        clearInterval(poll);
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    }, 50);
    const timer = setTimeout(() => fail(`printed no banner within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
  const ready = await fetch(`${baseUrl}/ready`);
  expect(ready.status, output).toBe(200);
  const running = { child, baseUrl, output: () => output };
  started.push(running);
  return running;
}

function stopAll(): Promise<unknown> {
  return Promise.all(
    spawned.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

describe.skipIf(TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === '')(
  'two tollgate serve processes on one PostgreSQL',
  () => {
    const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
    let databaseUrl: string;
    let dataDir: string;
    let database: DatabaseHandle;
    let first: ServeProcess;
    let second: ServeProcess;
    let adminKey: string;
    let accountId: string;
    /** 25 connections to each process. */
    let clients: [HttpClient, HttpClient];
    interface Sent {
      readonly sessionId: string;
      /** 0: sent to the first process, 1: to the second. */
      readonly process: number;
      readonly response: JsonResponse;
    }
    /** The first test's storm, for the retries of the second. */
    let firstRound: Sent[] = [];

    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      dataDir = await mkdtemp(join(tmpdir(), 'tollgate-processes-'));
      // The storms below spend the prepaid line's money balance: its plan's minutes stay ungranted.
      const common = {
        DATABASE_URL: databaseUrl,
        TOLLGATE_DATA_DIR: dataDir,
        TOLLGATE_ALLOWANCE_RENEWAL: 'false',
      };
      // The demo operator without its past: Luis's prepaid balance starts at zero.
      first = await startServe({
        ...common,
        TOLLGATE_SEED_DEMO: 'true',
        TOLLGATE_SEED_DEMO_ACTIVITY: 'false',
        TOLLGATE_DIAMETER_PORT: '-1',
      });
      // Started once the first has migrated and seeded: the second finds both done.
      second = await startServe({ ...common, TOLLGATE_SEED_DEMO: 'false', TOLLGATE_DIAMETER_PORT: '0' });
      expect(first.output()).toContain('Demo operator "Demo Telecom"');
      expect(second.output()).toContain('Using the existing data');
      expect(second.output()).toMatch(/Diameter: +Gy\/Ro credit control on 127\.0\.0\.1:\d+/);
      const key = /API key is shown this once:\n\s+(tg_[A-Za-z0-9_-]{43})/.exec(first.output())?.[1];
      if (key === undefined) throw new Error(`no admin key in the banner:\n${first.output()}`);
      adminKey = key;
      clients = [
        new HttpClient(first.baseUrl, adminKey, CONNECTIONS / 2),
        new HttpClient(second.baseUrl, adminKey, CONNECTIONS / 2),
      ];
      database = await createDatabase({ databaseUrl, poolSize: 2 });
    }, 90_000);

    afterAll(async () => {
      for (const client of clients ?? []) client.close();
      await database?.close();
      await stopAll();
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }, 30_000);

    const other = (i: number) => clients[(i + 1) % 2]!;

    function initiate(client: HttpClient, sessionId: string): Promise<JsonResponse> {
      return client.post('/v1/charging/sessions', {
        sessionId,
        subscriber: { kind: 'msisdn', value: PREPAID_MSISDN },
        services: [{ ratingGroup: 1, destination: HAMBURG, requestedUnits: 60 }],
      });
    }

    function terminate(client: HttpClient, sessionId: string, usedUnits: number): Promise<JsonResponse> {
      return client.post(`/v1/charging/sessions/${encodeURIComponent(sessionId)}/termination`, {
        requestNumber: 1,
        services: [{ ratingGroup: 1, usedUnits }],
      });
    }

    async function countOf(query: ReturnType<typeof sql<{ count: number }>>): Promise<number> {
      return (await query.execute(database.db)).rows[0]!.count;
    }

    const sessionsWithKey = (key: string) =>
      countOf(sql`select count(*)::int4 as count from charging_sessions where session_key = ${key}`);
    const reservationsOf = (key: string) =>
      countOf(sql`
        select count(*)::int4 as count from reservations r join charging_sessions s on s.id = r.session_id
        where s.session_key = ${key}`);
    const chargesOf = (key: string) =>
      countOf(
        sql`select count(*)::int4 as count from ledger_transactions where reference = ${key} and kind = 'charge'`,
      );

    it(`grants exactly ${AFFORDABLE} of ${REQUESTS} initiates sent over ${CONNECTIONS} connections to both processes`, async () => {
      const line = await clients[0].get(
        `/v1/charging/balance?kind=msisdn&value=${encodeURIComponent(PREPAID_MSISDN)}`,
      );
      expect(line.status).toBe(200);
      accountId = line.body.balance.accountId;
      expect(line.body.balance).toMatchObject({ mainBalance: '0.00', availableToSpend: '0.00' });
      const topUp = await clients[1].post(`/v1/accounts/${accountId}/topups`, {
        amount: '7.00',
        method: 'operator',
      });
      expect(topUp.status).toBe(201);

      const ids = Array.from({ length: REQUESTS }, (_, i) => `proc-${i}`);
      const responses = await Promise.all(ids.map((id, i) => initiate(clients[i % 2]!, id)));
      expect(clients[0].sockets.size + clients[1].sockets.size).toBe(CONNECTIONS);
      const outcome = (r: JsonResponse) =>
        r.status === 200 ? r.body.services[0].resultCode : `${r.status} ${r.body.code}`;
      expect(tally(responses, outcome)).toEqual({
        success: AFFORDABLE,
        insufficient_balance: REQUESTS - AFFORDABLE,
      });
      firstRound = responses.map((response, i) => ({ sessionId: ids[i]!, process: i % 2, response }));

      for (const client of clients) {
        const balance = await client.get(`/v1/accounts/${accountId}/balance`);
        expect(balance.body).toMatchObject({ mainBalance: '7.00', availableToSpend: '0.00' });
      }
      expect(await mainBucket(database.db, accountId)).toEqual({
        balance: 7_000_000n,
        reserved: BigInt(AFFORDABLE) * INITIATE_MICROS,
      });
      expect(await ledgerProblems(database.db)).toEqual([]);
    });

    it('answers a retry sent to the other process with the first answer, and charges once', async () => {
      // From the first test's storm: three granted sessions and a refused one, with the
      // process each was sent to.
      const granted = firstRound.filter((r) => r.response.body.services?.[0]?.resultCode === 'success');
      const refused = firstRound.find(
        (r) => r.response.body.services?.[0]?.resultCode === 'insufficient_balance',
      );
      const [a, b, c] = granted as [Sent, Sent, Sent];
      if (refused === undefined) throw new Error('the first test refused nothing');

      // Initiates retried on the other process: their first answers, no second hold.
      expect(await initiate(other(a.process), a.sessionId)).toEqual(a.response);
      expect(await sessionsWithKey(a.sessionId)).toBe(1);
      expect(await reservationsOf(a.sessionId)).toBe(1);
      expect(await initiate(other(refused.process), refused.sessionId)).toEqual(refused.response);
      expect(await sessionsWithKey(refused.sessionId)).toBe(0);

      // A termination, then its retry on the other process: one charge.
      const ended = await terminate(clients[a.process]!, a.sessionId, 60);
      expect(ended).toMatchObject({ status: 200, body: { services: [{ charged: '0.07' }] } });
      expect(await terminate(other(a.process), a.sessionId, 60)).toEqual(ended);
      expect(await chargesOf(a.sessionId)).toBe(1);

      // The same termination sent to both processes at once: still one charge.
      const [raceA, raceB] = await Promise.all([
        terminate(clients[0], b.sessionId, 60),
        terminate(clients[1], b.sessionId, 60),
      ]);
      expect(await chargesOf(b.sessionId)).toBe(1);
      // Soft: a wrong answer to a racing retry is reported, and the money checks below still run.
      expect.soft(raceA).toMatchObject({ status: 200, body: { services: [{ charged: '0.07' }] } });
      expect.soft(raceB).toEqual(raceA);

      // Money freed by a call that used nothing, then a new initiate sent to both at once: one hold.
      expect(await terminate(clients[c.process]!, c.sessionId, 0)).toMatchObject({
        status: 200,
        body: { services: [{ charged: '0' }] },
      });
      const fresh = 'proc-retry-race';
      const [freshA, freshB] = await Promise.all([initiate(clients[0], fresh), initiate(clients[1], fresh)]);
      expect(await sessionsWithKey(fresh)).toBe(1);
      expect(await reservationsOf(fresh)).toBe(1);
      expect.soft(freshA).toMatchObject({ status: 200, body: { services: [{ resultCode: 'success' }] } });
      expect.soft(freshB).toEqual(freshA);

      // 100 granted: two charged 0.07, one released, one new hold; 98 holds of 0.07 remain.
      expect(await mainBucket(database.db, accountId)).toEqual({
        balance: 7_000_000n - 2n * INITIATE_MICROS,
        reserved: 98n * INITIATE_MICROS,
      });
      const balance = await clients[1].get(`/v1/accounts/${accountId}/balance`);
      expect(balance.body).toMatchObject({ mainBalance: '6.86', availableToSpend: '0.00' });
      expect(await ledgerProblems(database.db)).toEqual([]);
    });
  },
);
