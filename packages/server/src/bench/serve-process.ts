import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The CLI entry point, from packages/server/{src,dist}/bench/: compiled, or the TypeScript source. */
const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const MAIN_SOURCE = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** Node flags that run the TypeScript sources (tests run the server this way, without a build). */
const SOURCE_NODE_ARGS = ['--conditions=tollgate-source', '--import', 'tsx'];

/** `tollgate serve` running as a child process of the bench, with what its banner said. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** http://host:port */
  readonly url: string;
  /** The demo admin key, when the server seeded the demo operator itself (an empty database). */
  readonly adminKey: string | undefined;
  /** The Diameter port, when the server runs one. */
  readonly diameterPort: number | undefined;
  /** What the server wrote to stdout after its banner (its log), the first MiB of it. */
  log(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

const MAX_LOG_CHARS = 1024 * 1024;

/**
 * Starts `tollgate serve --port 0` with the given environment (on top of the bench's own), log
 * level warn and the rate limit raised out of the way, and waits for its banner. `fromSource`
 * runs the TypeScript sources through tsx instead of the build.
 */
export async function startServeProcess(
  environment: Record<string, string>,
  options: { readonly fromSource?: boolean } = {},
): Promise<ServeProcess> {
  // BENCH_SERVE_NODE_ARGS: node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const entry = options.fromSource === true ? [...SOURCE_NODE_ARGS, MAIN_SOURCE] : [MAIN];
  const child = spawn(process.execPath, [...nodeArgs, ...entry, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      TOLLGATE_LOG_LEVEL: 'warn',
      TOLLGATE_RATE_LIMIT_PER_MINUTE: '100000000',
      TOLLGATE_DIAMETER_PORT: '0',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await readBanner(child);
  let log = '';
  child.stdout!.on('data', (chunk: string) => {
    if (log.length < MAX_LOG_CHARS) log += chunk;
  });
  const url = /running at (http:\/\/[\d.:]+)/.exec(banner)![1]!;
  const diameter = /Gy\/Ro credit control on [^\s:]+:(\d+)/.exec(banner);
  return {
    child,
    url,
    adminKey: /tg_[A-Za-z0-9_-]{43}/.exec(banner)?.[0],
    diameterPort: diameter === null ? undefined : Number(diameter[1]),
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The banner is one write; it ends with the admin key, or with a note that the data existed. */
function readBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onExit = (code: number | null) =>
      reject(new Error(`tollgate serve exited with ${code}:\n${output}`));
    const onData = (chunk: string) => {
      output += chunk;
      if (/tg_[A-Za-z0-9_-]{43}/.test(output) || /Using the existing data/.test(output)) {
        child.off('exit', onExit);
        child.stdout!.off('data', onData);
        resolve(output);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });
}

/** A throwaway database on the PostgreSQL server, dropped after the run. */
export async function createThrowawayDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
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

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
