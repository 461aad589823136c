import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { REPO_ROOT } from '../run-cli.js';
import { DATABASE_LABEL } from '../test-database.js';
import { SWITCH_HEADER, SWITCH_PROFILE } from './mediation-fixture.js';

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');
const RECORDS = 20_000;
/** Every record: 60 s to Berlin at peak from a postpaid line, 0.02 connect + 0.05 first minute. */
const RECORD_MICROS = 70_000n;

/**
 * `tollgate ingest` killed with SIGKILL in the middle of a file, twice, then run to the end: the
 * file resumes after its last committed batch, no record is lost and none is stored twice.
 */
describe(`tollgate ingest, killed and resumed (${DATABASE_LABEL})`, () => {
  let work: string;
  let env: Record<string, string>;
  let cliDatabase: CliDatabase;
  let path: string;

  beforeAll(async () => {
    cliDatabase = await openCliDatabase('ingest');
    work = cliDatabase.work;
    env = cliDatabase.env;
    const options = cliDatabase.options;
    const database = await createDatabase(options);
    try {
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) throw migrated.error;
      await seedDemo(database.db, new Date('2026-01-15T00:00:00Z'));
    } finally {
      await database.close();
    }
    const profile = join(work, 'switch.json');
    await writeFile(profile, JSON.stringify(SWITCH_PROFILE));
    const created = await cli(['source', 'set', 'switch', '--profile', profile]);
    expect(created.code).toBe(0);
    const lines = [SWITCH_HEADER];
    const startMs = Date.parse('2026-03-02T08:00:00Z');
    for (let i = 0; i < RECORDS; i++) {
      const caller = i % 2 === 0 ? '+4915112345678' : '+4915112345679';
      const at = new Date(startMs + (i % 28_800) * 1000).toISOString();
      lines.push(`k${i},${caller},+4930${String(100_000 + i)},call,${at},60,`);
    }
    path = join(work, 'big.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
  }, 120_000);

  afterAll(() => cliDatabase.drop());

  const cli = (args: readonly string[]) => cliDatabase.cli(args);

  it('loses nothing and counts nothing twice', async () => {
    for (let kill = 0; kill < 2; kill++) {
      const killed = await ingestUntilProgress(env, path);
      expect(killed.signal).toBe('SIGKILL');
    }
    // No progress lines (however long the run takes on a loaded machine): stderr is for errors only.
    const finished = await cli([
      'ingest',
      path,
      '--source',
      'switch',
      '--batch-size',
      '500',
      '--progress-every',
      '3600',
      '--json',
    ]);
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    const summary = JSON.parse(finished.stdout.trim());
    expect(summary).toMatchObject({
      status: 'done',
      read: String(RECORDS),
      loaded: String(RECORDS),
      duplicate: '0',
      suspended: '0',
    });
    expect(summary.rated.EUR).toBe(formatEuro(RECORD_MICROS * BigInt(RECORDS)));

    const database = await createDatabase(
      env.DATABASE_URL === '' ? { dataDir: env.TOLLGATE_DATA_DIR! } : { databaseUrl: env.DATABASE_URL! },
    );
    try {
      const { rows } = await sql<{ records: string; keys: string; charged: string; runs: string }>`
        select count(*)::text as records, count(distinct record_key)::text as keys,
          sum(charged_micros)::text as charged,
          (select count(*) from usage_files)::text as runs
        from rated_usage`.execute(database.db);
      expect(rows[0]).toEqual({
        records: String(RECORDS),
        keys: String(RECORDS),
        charged: String(RECORD_MICROS * BigInt(RECORDS)),
        runs: '1',
      });
    } finally {
      await database.close();
    }

    const again = await cli(['ingest', path, '--source', 'switch', '--json']);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ loaded: '0', duplicate: String(RECORDS) });

    const listed = await cli(['usage-files', '--json']);
    expect(listed.code).toBe(0);
    const runs = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(runs.map((r) => [r.status, r.loaded, r.duplicate])).toEqual([
      ['done', '0', String(RECORDS)],
      ['done', String(RECORDS), '0'],
    ]);
  }, 300_000);
});

/** Starts an ingest and kills it with SIGKILL once it reports its first stored batch. */
function ingestUntilProgress(
  env: Record<string, string>,
  path: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=tollgate-source',
        '--import',
        'tsx',
        MAIN,
        'ingest',
        path,
        '--source',
        'switch',
        '--batch-size',
        '500',
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
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/ records, /.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal }));
  });
}

function formatEuro(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const cents = (micros % 1_000_000n) / 10_000n;
  return `${whole}.${String(cents).padStart(2, '0')}`;
}
