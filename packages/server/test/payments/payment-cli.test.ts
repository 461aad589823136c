import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { migrateDatabase } from '../../src/db/migrate-database.js';
import { seedDemo } from '../../src/seed/seed-demo.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { DATABASE_LABEL } from '../test-database.js';

/** The demo operator billed for January, then collections and a payment through the real CLI. */
describe(`tollgate payment and collections (${DATABASE_LABEL})`, () => {
  let database: CliDatabase;
  let accountNumber: string;

  beforeAll(async () => {
    database = await openCliDatabase('payments');
    const handle = await createDatabase(database.options);
    try {
      const migrated = await migrateDatabase(handle.db);
      if (migrated.error !== undefined) throw migrated.error;
      await seedDemo(handle.db, new Date('2025-12-15T00:00:00Z'));
      const postpaid = await handle.db
        .selectFrom('accounts')
        .select('account_number')
        .where('kind', '=', 'postpaid')
        .executeTakeFirstOrThrow();
      accountNumber = postpaid.account_number;
    } finally {
      await handle.close();
    }
  }, 120_000);
  afterAll(() => database.drop());

  it('runs dunning on the unpaid invoice, then records the payment that settles it', {
    timeout: 180_000,
  }, async () => {
    const billed = await database.cli(['bill-run', '--as-of', '2026-02-01T00:00:00+01:00']);
    expect(billed.code, billed.stderr).toBe(0);
    const listed = await database.cli(['invoice', 'list', '--account', accountNumber, '--json']);
    const invoice = JSON.parse(listed.stdout.trim().split('\n')[0] ?? '{}');
    expect(invoice.status).toBe('finalized');
    const run = await database.cli([
      'collections',
      'run',
      '--as-of',
      `${invoice.dueOn}T12:00:00+01:00`,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.dunning.steps.reminder).toBeGreaterThanOrEqual(1);
    const again = await database.cli([
      'collections',
      'run',
      '--as-of',
      `${invoice.dueOn}T12:00:00+01:00`,
      '--json',
    ]);
    expect(Object.values(JSON.parse(again.stdout).dunning.steps)).toEqual([0, 0, 0, 0, 0, 0]);

    const paid = await database.cli([
      'payment',
      'record',
      accountNumber,
      invoice.amountDue,
      '--reference',
      invoice.number,
    ]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toContain(`applied ${invoice.amountDue}`);
    const repeated = await database.cli([
      'payment',
      'record',
      accountNumber,
      invoice.amountDue,
      '--reference',
      invoice.number,
    ]);
    expect(repeated.stdout).toContain('already recorded');
    const payments = await database.cli(['payment', 'list', '--account', accountNumber]);
    expect(payments.stdout.trim().split('\n')).toHaveLength(1);
    const after = await database.cli(['invoice', 'list', '--account', accountNumber, '--json']);
    expect(JSON.parse(after.stdout.trim().split('\n')[0] ?? '{}')).toMatchObject({
      status: 'paid',
      amountDue: '0.00',
    });
  });
});
