import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { verifyLedger } from '../balances/verify-ledger.js';
import { createDatabase } from '../db/create-database.js';
import { subscriberMsisdn } from './bench-seed-rows.js';
import { cpuShares, describeCpu, readCpu } from './charging-cpu.js';
import { type LatencySummary, runHotAccountLoad, runSessionLoad } from './charging-load.js';
import { type ChargingFixture, hotLineMsisdn, seedChargingData } from './charging-seed.js';
import {
  type ChargingTransport,
  DiameterChargingTransport,
  HttpChargingTransport,
} from './charging-transports.js';
import { envInt } from './env-int.js';
import { type PhaseSummary, runPhase } from './run-phase.js';
import { bearer, createThrowawayDatabase, type ServeProcess, startServeProcess } from './serve-process.js';
import type { Figure, Workload, WorkloadReport } from './workload.js';

export const chargingWorkload: Workload = {
  name: 'charging',
  description:
    'Online charging under load: 10,000 concurrent credit-control sessions and one hot shared account, over the JSON API and over Diameter, ' +
    'against `tollgate serve` in its own process, on the embedded PGlite and, when BENCH_DATABASE_URL names a PostgreSQL server, on PostgreSQL',
  run: runChargingWorkload,
};

/** Sizes, each overridable by an environment variable (the bench's flags are the rating workload's). */
const SETTINGS = {
  subscribers: envInt('BENCH_CHARGING_SUBSCRIBERS', 100_000),
  pgliteSubscribers: envInt('BENCH_CHARGING_PGLITE_SUBSCRIBERS', 100_000),
  sessions: envInt('BENCH_CHARGING_SESSIONS', 10_000),
  /** PGlite answers a few hundred requests a second: 10,000 sessions would queue for minutes. */
  pgliteSessions: envInt('BENCH_CHARGING_PGLITE_SESSIONS', 1_000),
  offeredRate: envInt('BENCH_CHARGING_RATE', 2_200),
  warmupS: envInt('BENCH_CHARGING_WARMUP_S', 8),
  measureS: envInt('BENCH_CHARGING_MEASURE_S', 20),
  hotS: envInt('BENCH_CHARGING_HOT_S', 10),
  hotLines: envInt('BENCH_CHARGING_HOT_LINES', 1_000),
  hotConcurrency: envInt('BENCH_CHARGING_HOT_CONCURRENCY', 256),
  httpConnections: envInt('BENCH_CHARGING_HTTP_CONNECTIONS', 64),
  diameterConnections: envInt('BENCH_CHARGING_DIAMETER_CONNECTIONS', 16),
  /** Checked interfaces, e.g. `http` to leave Diameter out while profiling. */
  interfaces: (process.env.BENCH_CHARGING_INTERFACES ?? 'http,diameter').split(','),
};

const UPDATES = 2;
const BALANCE_MICROS = 100_000_000n;
const HOT_SEED_MICROS = 2_000_000_000n;
const SMS_MICROS = 90_000n;
/** The hot phase is topped up to last this share of its duration at the warm-up's rate. */
const HOT_RUNWAY = 0.6;
const TARGET_RATE = 2_000;
const TARGET_P99_MS = 10;
const TARGET_HOT_RATE = 5_000;

interface DatabaseUnderTest {
  readonly label: string;
  readonly postgresServerUrl?: string;
  readonly subscribers: number;
  readonly sessions: number;
}

async function runChargingWorkload(): Promise<WorkloadReport> {
  const figures: Figure[] = [];
  const phases: PhaseSummary[] = [];
  const notes: string[] = [];
  // BENCH_CHARGING_SKIP_PGLITE=1 measures PostgreSQL alone (for profiling).
  const databases: DatabaseUnderTest[] =
    process.env.BENCH_CHARGING_SKIP_PGLITE === '1'
      ? []
      : [{ label: 'PGlite', subscribers: SETTINGS.pgliteSubscribers, sessions: SETTINGS.pgliteSessions }];
  const postgres = process.env.BENCH_DATABASE_URL;
  if (postgres !== undefined && postgres !== '')
    databases.push({
      label: 'PostgreSQL',
      postgresServerUrl: postgres,
      subscribers: SETTINGS.subscribers,
      sessions: SETTINGS.sessions,
    });
  const parameters: [string, string][] = [
    [
      'data',
      `${databases.map((d) => `${d.label}: ${d.subscribers.toLocaleString('en')}`).join(', ')} prepaid accounts of one residential line (MSISDN) each, 100 EUR each, seeded by set-based SQL before the server starts; one hot account with ${SETTINGS.hotLines.toLocaleString('en')} lines`,
    ],
    [
      'sessions',
      `${databases.map((d) => `${d.label}: ${d.sessions.toLocaleString('en')}`).join(', ')} concurrent sessions (initiate 60 s, ${UPDATES} updates used 60 s + requested 60 s, terminate used 30 s; voice rating group 1 to +4930123456), think time sessions / ${SETTINGS.offeredRate.toLocaleString('en')} s ±50 % between requests = ${SETTINGS.offeredRate.toLocaleString('en')} req/s offered (while answers keep up: a session waits for each answer); ${SETTINGS.warmupS} s warm-up, ${SETTINGS.measureS} s measured, then the open sessions terminate`,
    ],
    [
      'hot account',
      `SMS events (rating group 2, 0.09 EUR) on random lines of one account, closed loop of ${SETTINGS.hotConcurrency} requests in flight, 2 s warm-up, then adjusted (through the API) to last ~${HOT_RUNWAY * 100} % of ${SETTINGS.hotS} s and run until ${SETTINGS.hotS} s: the balance runs out partway`,
    ],
    [
      'clients',
      `in the bench process: node:http keep-alive agent with ${SETTINGS.httpConnections} connections (undici is not installed); ${SETTINGS.diameterConnections} pipelined DiameterClient connections`,
    ],
    [
      'PostgreSQL',
      postgres === undefined || postgres === ''
        ? 'not measured: set BENCH_DATABASE_URL=postgres://... to include it'
        : 'the server named by BENCH_DATABASE_URL, a fresh database created and dropped by the run',
    ],
  ];
  for (const database of databases) {
    const outcome = await measureDatabase(database, figures, phases);
    notes.push(...outcome.notes);
  }
  notes.push(
    'Latency is measured in the bench process from sending a request to reading its answer, so it includes the client side; the client, the server and PostgreSQL share the 2 cores (CPU shares of each, from /proc, are given per run).',
    'The server runs `tollgate serve` with log level warn, the rate limit raised out of the way, TOLLGATE_SEED_DEMO=false on the seeded database; charging lanes at their default (1 on PGlite, 2 on PostgreSQL, pool of 10).',
  );
  return { parameters, figures, phases, notes };
}

async function measureDatabase(
  database: DatabaseUnderTest,
  figures: Figure[],
  phases: PhaseSummary[],
): Promise<{ notes: string[] }> {
  const label = database.label;
  const notes: string[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-bench-charging-'));
  const throwaway =
    database.postgresServerUrl === undefined
      ? undefined
      : await createThrowawayDatabase(database.postgresServerUrl);
  const open = () =>
    createDatabase(throwaway === undefined ? { dataDir } : { databaseUrl: throwaway.url, poolSize: 2 });
  let server: ServeProcess | undefined;
  try {
    const seeded = await runPhase(`${label}: seed ${database.subscribers} subscribers`, async () => {
      const handle = await open();
      try {
        return await seedChargingData(
          handle.db,
          {
            subscribers: database.subscribers,
            hotLines: SETTINGS.hotLines,
            balanceMicros: BALANCE_MICROS,
            hotBalanceMicros: HOT_SEED_MICROS,
          },
          new Date(),
        );
      } finally {
        await handle.close();
      }
    });
    phases.push(seeded.summary);
    const fixture = seeded.value;
    console.log(
      `  ${label}: seeded in ${(seeded.summary.elapsedMs / 1000).toFixed(1)} s; starting the server`,
    );
    server = await startServeProcess({
      TOLLGATE_SEED_DEMO: 'false',
      TOLLGATE_DIAMETER_PORT: '0',
      TOLLGATE_DATA_DIR: dataDir,
      ...(throwaway === undefined ? {} : { DATABASE_URL: throwaway.url }),
    });
    const running = server;
    const http = new HttpChargingTransport(running.url, fixture.adminKey, SETTINGS.httpConnections);
    const smoke = await smokeTest(http);
    figures.push({
      kind: 'check',
      name: `${label}: a seeded line charges (initiate, terminate over the API)`,
      value: smoke,
      target: 'ok',
      pass: smoke === 'ok',
    });
    if (smoke !== 'ok') return { notes };
    const transports: { key: string; make: () => Promise<ChargingTransport> }[] = [
      { key: 'http', make: async () => http },
      {
        key: 'diameter',
        make: () => DiameterChargingTransport.connect(running.diameterPort!, SETTINGS.diameterConnections),
      },
    ];
    const chosen = transports.filter((t) => SETTINGS.interfaces.includes(t.key));
    const connected: ChargingTransport[] = [];
    try {
      for (const { make } of chosen) connected.push(await make());
      for (const transport of connected)
        await measureSessions(label, database, transport, running, figures, phases);
      for (const transport of connected)
        await measureHotAccount(label, fixture, transport, running, figures, phases);
    } finally {
      for (const transport of connected) await transport.close();
    }
  } finally {
    await server?.stop();
    if (server !== undefined) notes.push(...serverErrors(label, server.log()));
  }
  try {
    const handle = await open();
    try {
      await checkLedger(label, handle.db, figures);
    } finally {
      await handle.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await throwaway?.drop();
  }
  return { notes };
}

async function smokeTest(http: HttpChargingTransport): Promise<string> {
  const sessionId = http.newSessionId();
  const initiated = await http.initiate(sessionId, subscriberMsisdn(0));
  if (initiated.kind !== 'ok') return `initiate: ${JSON.stringify(initiated)}`;
  const terminated = await http.terminate(sessionId, 1);
  return terminated.kind === 'ok' ? 'ok' : `terminate: ${JSON.stringify(terminated)}`;
}

async function measureSessions(
  label: string,
  database: DatabaseUnderTest,
  transport: ChargingTransport,
  server: ServeProcess,
  figures: Figure[],
  phases: PhaseSummary[],
): Promise<void> {
  const name = `${label}, ${transport.name}`;
  const sessions = database.sessions;
  console.log(`  ${name}: ${sessions} sessions ...`);
  let cpu = '';
  const run = await runPhase(`${name}: sessions`, async () => {
    const before = { reading: readCpu(undefined) };
    const result = await runSessionLoad(transport, {
      sessions,
      offeredRate: SETTINGS.offeredRate,
      warmupS: SETTINGS.warmupS,
      measureS: SETTINGS.measureS,
      subscribers: database.subscribers,
      msisdnOf: subscriberMsisdn,
      updates: UPDATES,
      onWindow: (edge) => {
        if (edge === 'start') before.reading = readCpu(server.child.pid);
        else cpu = describeCpu(cpuShares(before.reading, readCpu(server.child.pid)));
      },
    });
    return result;
  });
  phases.push(run.summary);
  const r = run.value;
  figures.push({
    kind: 'performance',
    name: `${name}: charging requests (${sessions.toLocaleString('en')} sessions)`,
    value: `${Math.round(r.ratePerS).toLocaleString('en')} req/s, ${latencyText(r.latency)}`,
    target: `≥ ${TARGET_RATE.toLocaleString('en')} req/s, p99 ≤ ${TARGET_P99_MS} ms`,
    pass: r.ratePerS >= TARGET_RATE && r.latency.p99 <= TARGET_P99_MS,
  });
  figures.push({
    kind: 'info',
    name: `${name}: load generator`,
    value: `${cpu}; bench event loop ${Math.round(r.clientEventLoopUtilisation * 100)} % busy; ${r.sessionsCompleted.toLocaleString('en')} sessions completed`,
  });
  figures.push({
    kind: 'check',
    name: `${name}: every session request answered with success`,
    value: `${r.tally.ok.toLocaleString('en')} of ${r.tally.sent.toLocaleString('en')}${r.tally.failed + r.tally.refused > 0 ? ` (${r.tally.refused} refused; ${r.tally.describeFailures()})` : ''}`,
    target: 'all',
    pass: r.tally.ok === r.tally.sent,
  });
}

async function measureHotAccount(
  label: string,
  fixture: ChargingFixture,
  transport: ChargingTransport,
  server: ServeProcess,
  figures: Figure[],
  phases: PhaseSummary[],
): Promise<void> {
  const name = `${label}, ${transport.name}`;
  console.log(`  ${name}: hot account ...`);
  const msisdns = Array.from({ length: fixture.hotLines }, (_, j) => hotLineMsisdn(j));
  const load = (durationS: number) =>
    runHotAccountLoad(transport, { concurrency: SETTINGS.hotConcurrency, durationS, msisdns });
  // Warm up, and learn the rate, to leave just enough that the balance runs out partway.
  await adjust(server, fixture, HOT_SEED_MICROS - (await mainBalance(server, fixture)));
  const warm = await load(2);
  const warmRate =
    warm.firstRefusalMs === null
      ? warm.tally.ok / (warm.elapsedMs / 1000)
      : warm.okBeforeFirstRefusal / (warm.firstRefusalMs / 1000);
  const wantedMicros = BigInt(Math.ceil(warmRate * SETTINGS.hotS * HOT_RUNWAY)) * SMS_MICROS;
  const current = await mainBalance(server, fixture);
  await adjust(server, fixture, wantedMicros - current);
  const startMicros = await mainBalance(server, fixture);
  let cpu = '';
  const run = await runPhase(`${name}: hot account`, async () => {
    const before = readCpu(server.child.pid);
    const result = await load(SETTINGS.hotS);
    cpu = describeCpu(cpuShares(before, readCpu(server.child.pid)));
    return result;
  });
  phases.push(run.summary);
  const r = run.value;
  const endMicros = await mainBalance(server, fixture);
  const debitsPerS =
    r.firstRefusalMs === null
      ? r.tally.ok / (r.elapsedMs / 1000)
      : r.okBeforeFirstRefusal / (r.firstRefusalMs / 1000);
  figures.push({
    kind: 'performance',
    name: `${name}: debits of one hot account (SMS events)`,
    value: `${Math.round(debitsPerS).toLocaleString('en')} debits/s until the balance ran out${r.firstRefusalMs === null ? ' (it did not)' : ` at ${(r.firstRefusalMs / 1000).toFixed(1)} s`}; all answers ${Math.round(r.tally.answered / (r.elapsedMs / 1000)).toLocaleString('en')}/s, ${latencyText(r.latency)} at ${SETTINGS.hotConcurrency} in flight; ${cpu}`,
    target: `≥ ${TARGET_HOT_RATE.toLocaleString('en')} debits/s`,
    pass: debitsPerS >= TARGET_HOT_RATE,
  });
  const spent = startMicros - endMicros;
  const expected = BigInt(r.tally.ok) * SMS_MICROS;
  figures.push({
    kind: 'check',
    name: `${name}: hot account not overdrawn, charged exactly its debits`,
    value: `${r.tally.ok.toLocaleString('en')} debits, ${r.tally.refused.toLocaleString('en')} refused, ${r.tally.failed} failed${r.tally.failed > 0 ? ` (${r.tally.describeFailures()})` : ''}; balance ${eur(startMicros)} → ${eur(endMicros)} EUR, spent ${eur(spent)} = debits × 0.09: ${spent === expected}`,
    target: 'balance ≥ 0, spent = debits × 0.09, ran out (< 0.09 left), none failed',
    pass:
      endMicros >= 0n &&
      spent === expected &&
      endMicros < SMS_MICROS &&
      r.tally.refused > 0 &&
      r.tally.failed === 0 &&
      r.tally.answered === r.tally.sent,
  });
}

async function checkLedger(
  label: string,
  db: Awaited<ReturnType<typeof createDatabase>>['db'],
  figures: Figure[],
): Promise<void> {
  const verification = await verifyLedger(db);
  figures.push({
    kind: 'check',
    name: `${label}: ledger consistent after the run (tollgate ledger verify: cached balances and reservations = their entries, transactions balanced)`,
    value: `${verification.problems.length} problems in ${verification.bucketsChecked.toLocaleString('en')} buckets, ${verification.transactionsChecked.toLocaleString('en')} transactions`,
    target: '0 problems',
    pass: verification.problems.length === 0,
  });
  const open = await sql<{ sessions: string; reservations: string }>`
    select (select count(*) from charging_sessions where status = 'open')::text as sessions,
           (select count(*) from reservations where status = 'pending')::text as reservations`.execute(db);
  const row = open.rows[0]!;
  figures.push({
    kind: 'check',
    name: `${label}: every session ended, no reservation left pending`,
    value: `${row.sessions} open sessions, ${row.reservations} pending reservations`,
    target: '0, 0',
    pass: row.sessions === '0' && row.reservations === '0',
  });
}

async function mainBalance(server: ServeProcess, fixture: ChargingFixture): Promise<bigint> {
  const response = await fetch(`${server.url}/v1/accounts/${fixture.hotAccountId}/balance`, {
    headers: bearer(fixture.adminKey),
  });
  if (response.status !== 200) throw new Error(`reading the hot balance: HTTP ${response.status}`);
  const body = (await response.json()) as { mainBalance: string };
  return decimalToMicros(body.mainBalance);
}

/** An operator adjustment through the API (a ledger transaction like any other), either way. */
async function adjust(server: ServeProcess, fixture: ChargingFixture, micros: bigint): Promise<void> {
  if (micros === 0n) return;
  const response = await fetch(`${server.url}/v1/accounts/${fixture.hotAccountId}/adjustments`, {
    method: 'POST',
    headers: { ...bearer(fixture.adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ amount: eur(micros), reason: 'bench: the hot balance runs out partway' }),
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`adjusting the hot balance: HTTP ${response.status} ${await response.text()}`);
}

/** The server's error log lines (pino JSON, level 50 and up), summarised by message. */
function serverErrors(label: string, log: string): string[] {
  const messages = new Map<string, number>();
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < 50) continue;
      const text = `${entry.msg ?? ''}: ${entry.err?.message ?? ''}`.slice(0, 200);
      messages.set(text, (messages.get(text) ?? 0) + 1);
    } catch {}
  }
  return [...messages].map(([text, count]) => `${label}: the server logged ${count}× "${text}"`);
}

function decimalToMicros(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
  const micros = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -micros : micros;
}

/** Micro-euros as euros with up to six decimals, e.g. 12.34. */
function eur(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${abs / 1_000_000n}${fraction === '' ? '' : `.${fraction.padEnd(2, '0')}`}`;
}

function latencyText(latency: LatencySummary): string {
  return `p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(0)} ms`;
}
