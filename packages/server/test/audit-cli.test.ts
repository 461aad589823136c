import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/db/create-database.js';
import { migrateDatabase } from '../src/db/migrate-database.js';
import { buildAuditChain, tamper } from './audit-fixtures.js';
import { type CliRun, REPO_ROOT } from './run-cli.js';
import { DATABASE_LABEL, TEST_DATABASE_URL } from './test-database.js';

const MAIN = resolve(REPO_ROOT, 'packages/server/src/cli/main.ts');

/** Runs `tollgate` from source with the given environment (the CLI reads its database from it). */
function runCliWith(args: readonly string[], environment: Record<string, string>): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=tollgate-source', '--import', 'tsx', MAIN, ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: '', TOLLGATE_CONFIG: '', ...environment },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/**
 * A database the CLI can open from its environment: a PGlite data directory (which one process
 * at a time may hold, so the test closes it before each run), or a fresh PostgreSQL database.
 */
async function cliDatabase(): Promise<{
  environment: Record<string, string>;
  open: () => Promise<DatabaseHandle>;
  drop: () => Promise<void>;
}> {
  if (TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === '') {
    const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-audit-'));
    return {
      environment: { TOLLGATE_DATA_DIR: dataDir },
      open: () => createDatabase({ dataDir }),
      drop: async () => {},
    };
  }
  const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    environment: { DATABASE_URL: url.toString() },
    open: () => createDatabase({ databaseUrl: url.toString() }),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function withDatabase(
  open: () => Promise<DatabaseHandle>,
  work: (handle: DatabaseHandle) => Promise<unknown>,
) {
  const handle = await open();
  try {
    await work(handle);
  } finally {
    await handle.close();
  }
}

describe(`tollgate audit verify (${DATABASE_LABEL})`, () => {
  it('exits 0 on an intact chain and 5 with every break once it is tampered with', async () => {
    const target = await cliDatabase();
    try {
      let tenantId = '';
      await withDatabase(target.open, async ({ db }) => {
        const migrated = await migrateDatabase(db);
        if (migrated.error !== undefined) throw migrated.error;
        tenantId = await buildAuditChain(db, 'CLI audit');
      });
      const intact = await runCliWith(['audit', 'verify'], target.environment);
      expect(intact.stderr).toBe('');
      expect([intact.code, intact.stdout.trim()]).toEqual([
        0,
        'audit log intact: 1 tenant, 5 entries checked',
      ]);

      await withDatabase(target.open, ({ db }) =>
        tamper(db, () =>
          sql`update audit_log set actor_id = 'someone-else' where tenant_id = ${tenantId} and sequence = 4`.execute(
            db,
          ),
        ),
      );
      const broken = await runCliWith(['audit', 'verify'], target.environment);
      expect(broken.code).toBe(5);
      expect(broken.stdout).toContain('audit log BROKEN: 1 break; 1 tenant, 5 entries checked');
      expect(broken.stdout).toMatch(
        new RegExp(
          `tenant cli-audit-\\S+ \\(${tenantId}\\) entry 4: hash does not match the entry: it was altered`,
        ),
      );
      const json = await runCliWith(['audit', 'verify', '--json'], target.environment);
      expect(json.code).toBe(5);
      expect(JSON.parse(json.stdout)).toMatchObject({
        intact: false,
        tenants: 1,
        entries: 5,
        breaks: [{ tenantId, sequence: 4, problem: 'hash does not match the entry: it was altered' }],
      });
    } finally {
      await target.drop();
    }
  }, 60_000);

  it('refuses to verify an embedded database that is not there', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tollgate-audit-none-'));
    const run = await runCliWith(['audit', 'verify'], { TOLLGATE_DATA_DIR: join(empty, 'data') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no embedded database in');
  }, 30_000);
});
