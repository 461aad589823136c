import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topUpAccount } from '../src/balances/top-up-account.js';
import { createDatabase } from '../src/db/create-database.js';
import { migrateDatabase } from '../src/db/migrate-database.js';
import { seedDemo } from '../src/seed/seed-demo.js';
import { runCli } from './run-cli.js';

/** `tollgate charge` on the demo operator in a data directory of its own. */
describe('tollgate charge', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-charge-'));
    const dataDir = join(work, 'data');
    process.env.TOLLGATE_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.TOLLGATE_CONFIG;
    const database = await createDatabase({ dataDir });
    try {
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) throw migrated.error;
      const seed = await seedDemo(database.db, new Date());
      const line = await database.db
        .selectFrom('subscription_identifiers')
        .select('account_id')
        .where('value', '=', '+4917698765432')
        .executeTakeFirstOrThrow();
      const topped = await topUpAccount(
        database.db,
        seed!.tenantId,
        { type: 'system', id: 'test' },
        line.account_id,
        { amount: '5.00', method: 'operator' },
        new Date(),
      );
      if (!topped.ok) throw new Error(JSON.stringify(topped));
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('runs a session and prints what each request charged and granted', async () => {
    const run = await runCli([
      'charge',
      '--subscriber',
      '+4917698765432',
      '--request',
      '120',
      '--update',
      '60',
      '--terminate',
      '30',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^request 0, rating group 1: charged 0 EUR, granted 120 seconds$/),
      expect.stringMatching(/^request 1, rating group 1: charged 0\.\d+ EUR, granted 120 seconds$/),
      expect.stringMatching(/^request 2, rating group 1: charged 0\.\d+ EUR, granted nothing$/),
    ]);
  }, 60_000);

  it('exits 7 for an unknown subscriber, and charges an event', async () => {
    const unknown = await runCli(['charge', '--subscriber', '+4999999999', '--json']);
    expect(unknown.code).toBe(7);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, code: 'unknown_subscriber' });
    const postpaidSms = await runCli([
      'charge',
      '--subscriber',
      '+4915112345678',
      '--event',
      '--rating-group',
      '2',
      '--request',
      '1',
    ]);
    expect(postpaidSms.code).toBe(0);
    expect(postpaidSms.stdout).toMatch(/^request 0, rating group 2: charged 0\.09 EUR, granted 1 messages/);
  }, 60_000);
});
