import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/accounts/create-account.js';
import { createCustomer } from '../src/customers/create-customer.js';
import { createDatabase } from '../src/db/create-database.js';
import { migrateDatabase } from '../src/db/migrate-database.js';
import { createTestTenant } from './api/api-fixtures.js';
import { runCli } from './run-cli.js';

const ACTOR = { type: 'system', id: 'test' } as const;

/**
 * `tollgate balance`, `voucher` and `ledger verify` against the embedded database in a data
 * directory of its own (PGlite lets one process at a time open it, so the test closes it first).
 */
describe('tollgate balance, voucher and ledger commands', () => {
  let work: string;
  let dataDir: string;
  let accountNumber = '';
  let tenantSlug = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-balance-'));
    dataDir = join(work, 'data');
    process.env.TOLLGATE_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.TOLLGATE_CONFIG;
    const database = await createDatabase({ dataDir });
    try {
      const migrated = await migrateDatabase(database.db);
      if (migrated.error !== undefined) throw migrated.error;
      const tenant = await createTestTenant(database.db, 'Balance operator');
      const slug = await database.db
        .selectFrom('tenants')
        .select('slug')
        .where('id', '=', tenant.id)
        .executeTakeFirstOrThrow();
      tenantSlug = slug.slug;
      const now = new Date();
      const customer = await createCustomer(
        database.db,
        tenant.id,
        ACTOR,
        { kind: 'person', givenName: 'Ada' },
        now,
      );
      if (!customer.ok) throw new Error(customer.message);
      const account = await createAccount(
        database.db,
        tenant.id,
        ACTOR,
        { customerId: customer.customer.id, kind: 'prepaid' },
        now,
      );
      if (!account.ok) throw new Error(account.message);
      accountNumber = account.account.accountNumber;
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('tops up an account by its number and shows the balance', async () => {
    const topup = await runCli([
      'balance',
      'topup',
      '--account',
      accountNumber,
      '--amount',
      '10.00',
      '--reference',
      'R-1',
    ]);
    expect(topup.stderr).toBe('');
    expect(topup.code).toBe(0);
    expect(topup.stdout).toMatch(new RegExp(`^topped up ${accountNumber} by 10.00 EUR: transaction `));

    const shown = await runCli(['balance', 'show', '--account', accountNumber, '--tenant', tenantSlug]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`account ${accountNumber}: main balance 10.00 EUR`);
    expect(shown.stdout).toContain('available to spend: 10.00 EUR');

    const unknown = await runCli(['balance', 'show', '--account', 'A-999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no account "A-999999"');
  }, 60_000);

  it('prints voucher codes once', async () => {
    const created = await runCli([
      'voucher',
      'create',
      '--name',
      'Cards',
      '--amount',
      '5',
      '--count',
      '3',
      '--expires',
      '2099-01-01T00:00:00Z',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^\d{4}-\d{4}-\d{4}-\d{4}$/),
      expect.stringMatching(/^\d{4}-\d{4}-\d{4}-\d{4}$/),
      expect.stringMatching(/^\d{4}-\d{4}-\d{4}-\d{4}$/),
    ]);
    expect(created.stderr).toContain('3 vouchers of 5.00 EUR');
  }, 30_000);

  it('exits 0 on a clean ledger and 6 with the problems once a balance is tampered with', async () => {
    const clean = await runCli(['ledger', 'verify']);
    expect(clean.stderr).toBe('');
    expect([clean.code, clean.stdout.trim()]).toEqual([0, 'ledger clean: 1 buckets, 1 transactions checked']);

    const database = await createDatabase({ dataDir });
    try {
      await database.db.updateTable('balance_buckets').set({ balance: 1n }).execute();
    } finally {
      await database.close();
    }
    const broken = await runCli(['ledger', 'verify', '--tenant', tenantSlug]);
    expect(broken.code).toBe(6);
    expect(broken.stdout).toContain('ledger BROKEN: 1 problem');
    expect(broken.stdout).toMatch(/bucket_balance_mismatch: .* expected 10000000, found 1/);
    const json = await runCli(['ledger', 'verify', '--json']);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stdout)).toMatchObject({
      clean: false,
      problems: [{ kind: 'bucket_balance_mismatch', expected: '10000000', actual: '1' }],
    });
  }, 60_000);
});
