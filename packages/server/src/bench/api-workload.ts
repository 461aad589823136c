import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { bearer, createThrowawayDatabase, startServeProcess } from './serve-process.js';
import type { Figure, Workload, WorkloadReport } from './workload.js';

export const apiWorkload: Workload = {
  name: 'api',
  description:
    'Read and list endpoints under load (autocannon, 10 connections) against `tollgate serve` in its own process, ' +
    'on the embedded PGlite and, when BENCH_DATABASE_URL names a PostgreSQL server, on PostgreSQL',
  run: runApiWorkload,
};

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
      headers: { ...bearer(s.key), 'content-type': 'application/json' },
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
  const database = postgresUrl === undefined ? undefined : await createThrowawayDatabase(postgresUrl);
  const serve = await startServeProcess({
    TOLLGATE_DATA_DIR: dataDir,
    ...(database === undefined ? {} : { DATABASE_URL: database.url }),
  });
  const { url } = serve;
  const key = serve.adminKey!;
  const plans = (await (
    await fetch(`${url}/v1/plans?code=residential`, { headers: bearer(key) })
  ).json()) as {
    items: { id: string }[];
  };
  return {
    url,
    key,
    planId: plans.items[0]!.id,
    customerIds: [],
    stop: async () => {
      await serve.stop();
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

async function seedCustomers(server: RunningServer): Promise<void> {
  const batch = 20;
  for (let i = 0; i < SEEDED_CUSTOMERS; i += batch) {
    const created = await Promise.all(
      Array.from({ length: Math.min(batch, SEEDED_CUSTOMERS - i) }, async (_, j) => {
        const response = await fetch(`${server.url}/v1/customers`, {
          method: 'POST',
          headers: { ...bearer(server.key), 'content-type': 'application/json' },
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
    headers: bearer(server.key),
    requests: [{ setupRequest: (request) => ({ ...request, ...endpoint.request(server) }) }],
  });
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}
