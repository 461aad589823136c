import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBillRunData } from '../../src/bench/billrun-seed.js';
import { createDatabase } from '../../src/db/create-database.js';
import { REPO_ROOT, runCli } from '../run-cli.js';
import { DATABASE_LABEL, TEST_DATABASE_URL } from '../test-database.js';

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');
const ACCOUNTS = 1_200;
const APRIL_1 = '2026-04-01T00:00:00+02:00';

/**
 * `tollgate bill-run` killed with SIGKILL while it works, then resumed: every account due is invoiced
 * once, the numbers have no gap, the run ends done, and a new run finds nothing left to bill.
 */
describe(`tollgate bill-run, killed and resumed (${DATABASE_LABEL})`, () => {
  let work: string;
  let env: Record<string, string>;
  let databaseName: string | null = null;
  let options: Parameters<typeof createDatabase>[0];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-billrun-'));
    if (TEST_DATABASE_URL !== undefined && TEST_DATABASE_URL !== '') {
      databaseName = `tollgate_billrun_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${databaseName}`);
      await admin.end();
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${databaseName}`;
      env = { DATABASE_URL: url.toString(), TOLLGATE_DATA_DIR: join(work, 'unused') };
      options = { databaseUrl: url.toString() };
    } else {
      env = { DATABASE_URL: '', TOLLGATE_DATA_DIR: join(work, 'data') };
      options = { dataDir: join(work, 'data') };
    }
    const database = await createDatabase(options);
    try {
      await seedBillRunData(
        database.db,
        { accounts: ACCOUNTS, usagePerAccount: 2 },
        new Date('2026-02-15T00:00:00Z'),
      );
    } finally {
      await database.close();
    }
  }, 180_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    if (databaseName !== null) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  });

  const cli = (args: readonly string[]) => {
    const saved = { ...process.env };
    Object.assign(process.env, { TOLLGATE_CONFIG: '', ...env });
    try {
      return runCli(args);
    } finally {
      process.env = saved;
    }
  };

  it('invoices every account once, whatever the kills', async () => {
    const first = await billRunUntilProgress(env, ['--as-of', APRIL_1]);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    expect(first.runId).toMatch(/^[0-9a-f-]{36}$/);
    const finished = await cli(['bill-run', '--resume', first.runId, '--json']);
    expect(finished.code).toBe(0);
    const summary = JSON.parse(finished.stdout.trim());
    expect(summary, finished.stdout + finished.stderr).toMatchObject({
      status: 'done',
      pending: 0,
      parked: 0,
    });

    const database = await createDatabase(options);
    try {
      const { rows } = await sql<{
        invoices: string;
        accounts: string;
        periods: string;
        first: string;
        last: string;
      }>`
        select count(*)::text as invoices, count(distinct account_id)::text as accounts,
          count(distinct (account_id, period_from_day))::text as periods,
          min(sequence)::text as first, max(sequence)::text as last
        from invoices where kind = 'invoice'`.execute(database.db);
      const invoices = Number(rows[0]!.invoices);
      expect(invoices).toBeGreaterThanOrEqual(ACCOUNTS);
      expect(rows[0]!.periods).toBe(rows[0]!.invoices);
      expect(rows[0]!.first).toBe('1');
      expect(rows[0]!.last).toBe(String(invoices));
      const claimed = await sql<{ records: string; twice: string }>`
        select count(*)::text as records,
          (select count(*) from (select rated_usage_id from invoiced_usage group by 1 having count(*) > 1) d)::text as twice
        from invoiced_usage`.execute(database.db);
      expect(claimed.rows[0]!.twice).toBe('0');
      expect(Number(claimed.rows[0]!.records)).toBeGreaterThanOrEqual(ACCOUNTS * 2);
      expect(summary.invoiced + summary.skipped).toBe(summary.accounts);
    } finally {
      await database.close();
    }
    // The same run started anew bills nothing more: every account's period is invoiced.
    const again = await cli(['bill-run', '--as-of', APRIL_1, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ accounts: 0, invoiced: 0 });
  }, 600_000);
});

/** Starts `tollgate bill-run` and kills it once it reports some but not all accounts done. */
function billRunUntilProgress(
  env: Record<string, string>,
  args: readonly string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; runId: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=tollgate-source',
        '--import',
        'tsx',
        MAIN,
        'bill-run',
        ...args,
        '--workers',
        '1',
        '--progress-every',
        '0',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, TOLLGATE_CONFIG: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let runId = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      runId = /bill run ([0-9a-f-]{36}):/.exec(stderr)?.[1] ?? runId;
      const progress = [...stderr.matchAll(/bill run: (\d+)\/(\d+) accounts/g)].at(-1);
      if (progress !== undefined && Number(progress[1]) > 0 && Number(progress[1]) < Number(progress[2]))
        child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, runId, stderr }));
  });
}
