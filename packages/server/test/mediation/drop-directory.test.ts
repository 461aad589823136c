import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchDropDirectory } from '../../src/mediation/watch-drop-directory.js';
import { DATABASE_LABEL } from '../test-database.js';
import { type MediationFixture, openMediationFixture, SWITCH_HEADER } from './mediation-fixture.js';

const QUIET_LOG = { info: () => {}, error: () => {} };

describe(`the drop directory (${DATABASE_LABEL})`, () => {
  let fixture: MediationFixture;
  let root: string;
  beforeAll(async () => {
    fixture = await openMediationFixture();
    root = join(fixture.work, 'spool');
    await mkdir(join(root, 'switch', '.processing'), { recursive: true });
    await mkdir(join(root, 'unknown-source'), { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('loads new files of each source and moves them to done or failed; resumes files left in .processing', async () => {
    const folder = join(root, 'switch');
    await writeFile(
      join(folder, 'cdr-0001.csv'),
      `${SWITCH_HEADER}\nd1,+4915112345678,+4930123456,call,2026-03-05T11:00:00+01:00,60,\n`,
    );
    // A file a crashed process had claimed: loaded at the first scan.
    await writeFile(
      join(folder, '.processing', 'cdr-0000.csv'),
      `${SWITCH_HEADER}\nd0,+4915112345678,+4930123456,call,2026-03-05T10:00:00+01:00,60,\n`,
    );
    // Still being written: not taken.
    await writeFile(join(folder, 'cdr-0002.csv.part'), 'd2,');
    // A gzip file cut short: its run fails.
    const gzip = gzipSync(
      Buffer.from(
        `${SWITCH_HEADER}\n${'d3,+4915112345678,+4930123456,call,2026-03-05T12:00:00+01:00,60,\n'.repeat(50)}`,
      ),
    );
    await writeFile(join(folder, 'cdr-0003.csv.gz'), gzip.subarray(0, gzip.length - 20));
    await writeFile(join(root, 'unknown-source', 'stray.csv'), 'x');

    const watcher = watchDropDirectory(fixture.database.db, {
      root,
      tenantId: fixture.tenantId,
      pollMs: 60_000,
      settleMs: 0,
      log: QUIET_LOG,
    });
    try {
      await watcher.scan();
    } finally {
      await watcher.stop();
    }
    expect((await readdir(join(folder, 'done'))).sort()).toEqual(['cdr-0000.csv', 'cdr-0001.csv']);
    expect(await readdir(join(folder, 'failed'))).toEqual(['cdr-0003.csv.gz']);
    expect(await readdir(join(folder, '.processing'))).toEqual([]);
    expect((await readdir(folder)).sort()).toEqual(['.processing', 'cdr-0002.csv.part', 'done', 'failed']);
    expect(await readdir(join(root, 'unknown-source'))).toEqual(['stray.csv']);
    const keys = await fixture.database.db
      .selectFrom('rated_usage')
      .select('record_key')
      .where('record_key', 'in', ['d0', 'd1'])
      .execute();
    expect(keys.map((k) => k.record_key).sort()).toEqual(['d0', 'd1']);
    const failed = await fixture.database.db
      .selectFrom('usage_files')
      .select(['status', 'error'])
      .where('file_name', '=', 'cdr-0003.csv.gz')
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/unexpected end of file|incorrect header check|Z_/i);
  });
});
