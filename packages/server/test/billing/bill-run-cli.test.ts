import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBillRunData } from '../../src/bench/billrun-seed.js';
import { createDatabase } from '../../src/db/create-database.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { REPO_ROOT } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');
const ACCOUNTS = 1_200;
const APRIL_1 = '2026-04-01T00:00:00+02:00';

/**
 * `tollgate bill-run` killed with SIGKILL while it works, then resumed: every account due is invoiced
 * once, the numbers have no gap, the run ends done, and a new run finds nothing left to bill.
 */
describe(`tollgate bill-run, killed and resumed (${DATABASE_LABEL})`, () => {
  let database: CliDatabase;

  beforeAll(async () => {
    database = await openCliDatabase('billrun');
    const handle = await createDatabase(database.options);
    try {
      await seedBillRunData(
        handle.db,
        { accounts: ACCOUNTS, usagePerAccount: 2 },
        new Date('2026-02-15T00:00:00Z'),
      );
    } finally {
      await handle.close();
    }
  }, 180_000);

  afterAll(() => database.drop());

  const cli = (args: readonly string[]) => database.cli(args);

  it('invoices every account once, whatever the kills', async () => {
    const first = await billRunUntilProgress(database.env, ['--as-of', APRIL_1]);
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

    const stored = await createDatabase(database.options);
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
        from invoices where kind = 'invoice'`.execute(stored.db);
      const invoices = Number(rows[0]!.invoices);
      expect(invoices).toBeGreaterThanOrEqual(ACCOUNTS);
      expect(rows[0]!.periods).toBe(rows[0]!.invoices);
      expect(rows[0]!.first).toBe('1');
      expect(rows[0]!.last).toBe(String(invoices));
      const claimed = await sql<{ records: string; twice: string }>`
        select count(*)::text as records,
          (select count(*) from (select rated_usage_id from invoiced_usage group by 1 having count(*) > 1) d)::text as twice
        from invoiced_usage`.execute(stored.db);
      expect(claimed.rows[0]!.twice).toBe('0');
      expect(Number(claimed.rows[0]!.records)).toBeGreaterThanOrEqual(ACCOUNTS * 2);
      expect(summary.invoiced + summary.skipped).toBe(summary.accounts);
    } finally {
      await stored.close();
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
