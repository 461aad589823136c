import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Figure, Workload, WorkloadReport } from './workload.js';

export const apiWorkload: Workload = {
  name: 'api',
  description:
    'Read and list endpoints under load (autocannon, 10 connections) against `tollgate serve` in its own process, ' +
    'on the embedded PGlite and, when BENCH_DATABASE_URL names a PostgreSQL server, on PostgreSQL',
  run: runApiWorkload,
};

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const SEEDED_CUSTOMERS = 1_000;
const DURATION_S = 10;
const CONNECTIONS = 10;

interface Endpoint {
  readonly name: string;
  readonly request: (server: RunningServer) => autocannon.Request;
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'GET /v1/customers/{id}',
    request: (s) => ({ method: 'GET', path: `/v1/customers/${pick(s.customerIds)}` }),
  },
  { name: 'GET /v1/customers?limit=50', request: () => ({ method: 'GET', path: '/v1/customers?limit=50' }) },
  {
    name: 'GET /v1/subscriptions?identifier=msisdn:…',
    request: () => ({ method: 'GET', path: '/v1/subscriptions?identifier=msisdn:%2B4915112345678' }),
  },
  {
    name: 'POST /v1/rating/quote',
    request: (s) => ({
      method: 'POST',
      path: '/v1/rating/quote',
      // Per-request headers replace the connection's, so the key goes here too.
      headers: { ...auth(s.key), 'content-type': 'application/json' },
      body: JSON.stringify({
        planId: s.planId,
        category: 'call',
        subject: '+4915112345678',
        destination: '+4930555123',
        answerTime: '2026-03-09T09:15:00+01:00',
        usage: '2m10s',
      }),
    }),
  },
];

async function runApiWorkload(): Promise<WorkloadReport> {
  const figures: Figure[] = [];
  const parameters: [string, string][] = [
    ['load', `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per endpoint, after a 2 s warm-up`],
    ['data', `the demo operator plus ${SEEDED_CUSTOMERS} customers created through the API`],
  ];
  const databases: { label: string; url?: string }[] = [{ label: 'PGlite' }];
  const postgres = process.env.BENCH_DATABASE_URL;
  if (postgres !== undefined && postgres !== '') {
    databases.push({ label: 'PostgreSQL', url: postgres });
    parameters.push([
      'PostgreSQL',
      'the server named by BENCH_DATABASE_URL, a fresh database created and dropped by the run',
    ]);
  } else parameters.push(['PostgreSQL', 'not measured: set BENCH_DATABASE_URL=postgres://... to include it']);
  for (const database of databases) {
    const server = await startServer(database.url);
    try {
      await seedCustomers(server);
      for (const endpoint of ENDPOINTS) {
        await load(server, endpoint, 2);
        const result = await load(server, endpoint, DURATION_S);
        const failed = result.non2xx + result.errors;
        figures.push({
          kind: 'info',
          name: `${database.label}: ${endpoint.name}`,
          value: `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
        });
        figures.push({
          kind: 'check',
          name: `${database.label}: ${endpoint.name} answered 2xx`,
          value: `${result.requests.total - failed} of ${result.requests.total}`,
          target: 'all',
          pass: failed === 0,
        });
      }
    } finally {
      await server.stop();
    }
  }
  return {
    parameters,
    figures,
    phases: [],
    notes: [
      'The server runs as a separate process (`tollgate serve`, log level warn, rate limit raised out of the way); autocannon runs in the bench process on the same 2-core machine, so client and server share the cores.',
      'PGlite serves one query at a time in the server process; PostgreSQL runs as its own server with a pool of 10 connections.',
    ],
  };
}

interface RunningServer {
  readonly url: string;
  readonly key: string;
  readonly planId: string;
  readonly customerIds: string[];
  stop(): Promise<void>;
}

async function startServer(postgresUrl: string | undefined): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-bench-api-'));
  const database = postgresUrl === undefined ? undefined : await createDatabase(postgresUrl);
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      TOLLGATE_DATA_DIR: dataDir,
      TOLLGATE_LOG_LEVEL: 'warn',
      TOLLGATE_RATE_LIMIT_PER_MINUTE: '100000000',
      ...(database === undefined ? {} : { DATABASE_URL: database.url }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await readBanner(child);
  const url = /running at (http:\/\/[\d.:]+)/.exec(banner)![1]!;
  const key = /tg_[A-Za-z0-9_-]{43}/.exec(banner)![0];
  const plans = (await (await fetch(`${url}/v1/plans?code=residential`, { headers: auth(key) })).json()) as {
    items: { id: string }[];
  };
  return {
    url,
    key,
    planId: plans.items[0]!.id,
    customerIds: [],
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

function readBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (/tg_[A-Za-z0-9_-]{43}/.test(output)) resolve(output);
    });
    child.once('exit', (code) => reject(new Error(`tollgate serve exited with ${code}:\n${output}`)));
  });
}

async function seedCustomers(server: RunningServer): Promise<void> {
  const batch = 20;
  for (let i = 0; i < SEEDED_CUSTOMERS; i += batch) {
    const created = await Promise.all(
      Array.from({ length: Math.min(batch, SEEDED_CUSTOMERS - i) }, async (_, j) => {
        const response = await fetch(`${server.url}/v1/customers`, {
          method: 'POST',
          headers: { ...auth(server.key), 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'person',
            givenName: `Bench ${i + j}`,
            email: `bench${i + j}@example.com`,
          }),
        });
        if (response.status !== 201) throw new Error(`seeding a customer: HTTP ${response.status}`);
        return ((await response.json()) as { id: string }).id;
      }),
    );
    server.customerIds.push(...created);
  }
}

function load(server: RunningServer, endpoint: Endpoint, durationS: number): Promise<autocannon.Result> {
  return autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: durationS,
    headers: auth(server.key),
    requests: [{ setupRequest: (request) => ({ ...request, ...endpoint.request(server) }) }],
  });
}

function auth(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** A throwaway database on the PostgreSQL server, dropped after the run. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tollgate_bench_${randomBytes(5).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
