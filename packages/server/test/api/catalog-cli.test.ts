import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { CONFORMANCE_SKIP_REASON, HAS_CONFORMANCE, runCli } from '../run-cli.js';
import { createTestTenant } from './api-fixtures.js';
import { DEMO_TARIFF_FILE, TUTORIAL2 } from './catalog-fixtures.js';

/**
 * `tollgate tariff push` against the embedded database in a data directory of its own (the CLI
 * is a separate process, and PGlite lets one process at a time open a data directory).
 */
describe('tollgate tariff push', () => {
  let work: string;
  let dataDir: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-push-'));
    dataDir = join(work, 'data');
    process.env.TOLLGATE_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.TOLLGATE_CONFIG;
    const database = await createDatabase({ dataDir });
    const migrated = await migrateDatabase(database.db);
    if (migrated.error !== undefined) throw migrated.error;
    await createTestTenant(database.db, 'Push operator');
    await database.close();
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const versionsOf = async (code: string) => {
    const database = await createDatabase({ dataDir });
    try {
      return await database.db
        .selectFrom('tariff_versions')
        .innerJoin('tariffs', 'tariffs.id', 'tariff_versions.tariff_id')
        .select(['tariff_versions.version', 'tariff_versions.source_format', 'tariff_versions.activates_at'])
        .where('tariffs.code', '=', code)
        .orderBy('tariff_versions.version')
        .execute();
    } finally {
      await database.close();
    }
  };

  it('creates a tariff from a native file, then adds versions to it', async () => {
    const push = (...extra: string[]) =>
      runCli(['tariff', 'push', '--tariff-dir', DEMO_TARIFF_FILE, '--code', 'demo-cli', ...extra]);
    const first = await push('--activates-at', '2020-01-01T00:00:00Z', '--name', 'Demo from the CLI');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^created tariff demo-cli .* version 1 activates at 2020-01-01T00:00:00.000Z/,
    );
    const second = await push();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^updated tariff demo-cli .* version 2 /);
    const versions = await versionsOf('demo-cli');
    expect(versions.map((v) => [v.version, v.source_format])).toEqual([
      [1, 'native'],
      [2, 'native'],
    ]);
    expect(versions[0]?.activates_at.toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  it('rejects a broken tariff with exit code 3 and stores nothing', async () => {
    const broken = join(work, 'broken.yaml');
    await writeFile(
      broken,
      'format: tollgate.tariff/v1\nid: x\ncurrency: EUR\ntimeZone: Mars/Olympus\nrounding: { method: up, decimals: 4 }\n' +
        'destinations: []\nrates: []\nratingPlans: []\nratingProfiles: []\n',
    );
    const run = await runCli(['tariff', 'push', '--tariff-dir', broken, '--code', 'broken-cli']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/invalid tariff: 1 problem\n {2}\/document\/timeZone: .*unknown_time_zone/);
    expect(await versionsOf('broken-cli')).toEqual([]);
  });

  it('answers a bad command line with exit code 2', async () => {
    const noCode = await runCli(['tariff', 'push', '--tariff-dir', DEMO_TARIFF_FILE]);
    expect(noCode.code).toBe(2);
    const badTime = await runCli([
      'tariff',
      'push',
      '--tariff-dir',
      DEMO_TARIFF_FILE,
      '--code',
      'x',
      '--activates-at',
      'next week',
    ]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--activates-at/);
    const noTenant = await runCli([
      'tariff',
      'push',
      '--tariff-dir',
      DEMO_TARIFF_FILE,
      '--code',
      'x',
      '--tenant',
      'nobody',
    ]);
    expect([noTenant.code, noTenant.stderr.trim()]).toEqual([2, 'no tenant with slug "nobody"']);
  });

  it.skipIf(!HAS_CONFORMANCE)(
    `stores a CGRateS tariff plan in the tenant's currency ${HAS_CONFORMANCE ? '' : CONFORMANCE_SKIP_REASON}`,
    async () => {
      const run = await runCli([
        'tariff',
        'push',
        '--tariff-dir',
        TUTORIAL2,
        '--tariff-format',
        'cgrates',
        '--code',
        'tutorial2',
      ]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^warning: \/files\/Rates\.csv:\d+/);
      expect((await versionsOf('tutorial2')).map((v) => v.source_format)).toEqual(['cgrates']);
    },
  );
});
