import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBillRunData } from '../../src/bench/billrun-seed.js';
import { runBillRunJob } from '../../src/billing/bill-run-jobs.js';
import { startBillRun } from '../../src/billing/start-bill-run.js';
import { createDatabase } from '../../src/db/create-database.js';
import { type CliDatabase, openCliDatabase } from '../cli-database.js';
import { DATABASE_LABEL } from '../test-database.js';

const APRIL_1 = '2026-04-01T00:00:00+02:00';

interface Billed {
  readonly accountNumber: string;
  readonly invoiceNumber: string;
  readonly total: bigint;
}

/** Micro-units as the decimal-comma text of a German bank export. */
function germanAmount(micros: bigint): string {
  const cents = micros / 10_000n;
  return `${cents / 100n},${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * The receivables commands through the real CLI on its own database: a semicolon and decimal-comma
 * statement imported (exit 4 while lines wait for review, 7 for the same file again, 0 when all
 * match), the lines waiting listed, then the aging table and a statement of account.
 */
describe(`tollgate bank-statement, aging and account-statement (${DATABASE_LABEL})`, () => {
  let database: CliDatabase;
  let slug: string;
  let billed: Billed[];

  beforeAll(async () => {
    database = await openCliDatabase('receivables');
    const handle = await createDatabase(database.options);
    try {
      const seeded = await seedBillRunData(
        handle.db,
        { accounts: 3, usagePerAccount: 1 },
        new Date('2026-02-15T00:00:00Z'),
      );
      const actor = { type: 'system', id: 'test' } as const;
      const run = await startBillRun(
        handle.db,
        seeded.tenantId,
        actor,
        { asOf: new Date(APRIL_1), dryRun: false, finalize: true },
        new Date(APRIL_1),
      );
      const pending = await handle.db
        .selectFrom('bill_run_accounts')
        .select('account_id')
        .where('bill_run_id', '=', run.runId)
        .execute();
      await runBillRunJob(
        handle.db,
        { runId: run.runId, tenantId: seeded.tenantId, accountIds: pending.map((p) => p.account_id) },
        new Date(APRIL_1),
      );
      slug = (
        await handle.db
          .selectFrom('tenants')
          .select('slug')
          .where('id', '=', seeded.tenantId)
          .executeTakeFirstOrThrow()
      ).slug;
      const rows = await handle.db
        .selectFrom('invoices as i')
        .innerJoin('accounts as a', 'a.id', 'i.account_id')
        .select(['a.account_number', 'i.number', 'i.total_micros'])
        .where('i.kind', '=', 'invoice')
        .where('i.status', '=', 'finalized')
        .orderBy('i.number')
        .execute();
      // The demo operator's own accounts may have several invoices; the bench accounts have one each.
      const perAccount = new Map<string, number>();
      for (const row of rows)
        perAccount.set(row.account_number, (perAccount.get(row.account_number) ?? 0) + 1);
      billed = rows
        .filter((row) => perAccount.get(row.account_number) === 1)
        .map((row) => ({
          accountNumber: row.account_number,
          invoiceNumber: row.number!,
          total: row.total_micros,
        }));
    } finally {
      await handle.close();
    }
    expect(billed.length).toBeGreaterThanOrEqual(3);
  }, 180_000);

  afterAll(() => database?.drop());

  it('imports a German statement: prints the counts and exits 4 while lines wait for review', async () => {
    const [first, second] = billed;
    const path = join(database.work, 'umsaetze.csv');
    await writeFile(
      path,
      [
        'date;amount;currency;reference;counterparty',
        `02.04.2026;${germanAmount(first!.total)};EUR;Rechnung ${first!.invoiceNumber};Kunde 1`,
        `02.04.2026;${germanAmount(second!.total)};EUR;Kunde ${second!.accountNumber};Kunde 2`,
        '03.04.2026;12,00;EUR;Danke;Unbekannt',
      ].join('\n'),
    );
    const args = [
      'bank-statement',
      'import',
      path,
      '--tenant',
      slug,
      '--delimiter',
      ';',
      '--decimal-separator',
      ',',
    ];
    const run = await database.cli([...args, '--date-format', 'DD.MM.YYYY']);
    expect(run.code, run.stderr).toBe(4);
    const paid = (first!.total + second!.total) / 10_000n;
    expect(run.stdout).toMatch(
      new RegExp(
        `^bank statement [0-9a-f-]{36} \\(umsaetze\\.csv\\): 3 lines, 2 matched \\(${paid / 100n}\\.${String(paid % 100n).padStart(2, '0')} EUR\\), 1 unmatched, 0 ignored\\n$`,
      ),
    );
    expect(run.stderr).toContain('bank-statement unmatched');

    const again = await database.cli([...args, '--date-format', 'DD.MM.YYYY']);
    expect(again.code).toBe(7);
    expect(again.stderr).toContain('imported already');
  }, 120_000);

  it('lists the lines waiting for review, and exits 0 when every line matches', async () => {
    const listed = await database.cli(['bank-statement', 'unmatched', '--tenant', slug, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.lineNumber, l.amount, l.reason])).toEqual([
      [4, '12.00', 'no invoice or account number in the reference'],
    ]);

    const third = billed[2]!;
    const path = join(database.work, 'more.csv');
    await writeFile(path, `date,amount,currency,reference\n2026-04-03,1.00,EUR,${third.invoiceNumber}\n`);
    const run = await database.cli(['bank-statement', 'import', path, '--tenant', slug]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 lines, 1 matched (1.00 EUR), 0 unmatched, 0 ignored');
  }, 120_000);

  it('prints the aging table and a statement of account', async () => {
    const aging = await database.cli(['aging', '--tenant', slug, '--as-of', '2026-05-20']);
    expect(aging.code, aging.stderr).toBe(0);
    expect(aging.stdout).toContain('Aging as of 2026-05-20 (days past due)');
    expect(aging.stdout).toContain(billed[2]!.accountNumber);
    expect(aging.stdout).not.toContain(`${billed[0]!.accountNumber} `);
    // Due 14 days after April 1st, 35 days late on May 20th: 31-60, and the outstanding column.
    const owed = (billed[2]!.total - 1_000_000n) / 10_000n;
    const amount = `${owed / 100n}.${String(owed % 100n).padStart(2, '0')}`;
    const row = aging.stdout.split('\n').find((line) => line.startsWith(billed[2]!.accountNumber));
    expect(row?.split(/\s{2,}/).slice(2)).toEqual([
      'EUR',
      '0.00',
      '0.00',
      amount,
      '0.00',
      '0.00',
      amount,
      '0.00',
    ]);

    const statement = await database.cli([
      'account-statement',
      billed[2]!.accountNumber,
      '--tenant',
      slug,
      '--from',
      '2026-04-01',
      '--to',
      '2026-05-01',
    ]);
    expect(statement.code, statement.stderr).toBe(0);
    expect(statement.stdout).toContain(`Statement of account ${billed[2]!.accountNumber}`);
    expect(statement.stdout).toMatch(/Opening balance\s+0\.00/);
    expect(statement.stdout).toContain(billed[2]!.invoiceNumber);
  }, 120_000);
});
