import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { createDatabase } from '../src/db/create-database.js';
import { runCli } from './run-cli.js';
import { TEST_DATABASE_URL } from './test-database.js';

/**
 * A database for tests that run the real CLI in child processes: a PGlite data folder, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL; with the environment that points
 * the CLI at it, and the options that open it in the test itself.
 */
export interface CliDatabase {
  readonly work: string;
  readonly env: Record<string, string>;
  readonly options: Parameters<typeof createDatabase>[0];
  /** Runs `tollgate` in this process with the database's environment. */
  cli(args: readonly string[]): ReturnType<typeof runCli>;
  drop(): Promise<void>;
}

export async function openCliDatabase(prefix: string): Promise<CliDatabase> {
  const work = await mkdtemp(join(tmpdir(), `tollgate-${prefix}-`));
  let databaseName: string | null = null;
  let env: Record<string, string>;
  let options: Parameters<typeof createDatabase>[0];
  if (TEST_DATABASE_URL !== undefined && TEST_DATABASE_URL !== '') {
    databaseName = `tollgate_${prefix}_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${databaseName}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${databaseName}`;
    env = { DATABASE_URL: url.toString(), TOLLGATE_DATA_DIR: join(work, 'unused') };
    options = { databaseUrl: url.toString() };
  } else {
    env = { DATABASE_URL: '', TOLLGATE_DATA_DIR: join(work, 'data') };
    options = { dataDir: join(work, 'data') };
  }
  return {
    work,
    env,
    options,
    cli: (args) => {
      const saved = { ...process.env };
      Object.assign(process.env, { TOLLGATE_CONFIG: '', ...env });
      try {
        return runCli(args);
      } finally {
        process.env = saved;
      }
    },
    drop: async () => {
      await rm(work, { recursive: true, force: true });
      if (databaseName !== null) await adminQuery(`drop database if exists ${databaseName} with (force)`);
    },
  };
}

async function adminQuery(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
