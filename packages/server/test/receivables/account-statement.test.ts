import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreditNote } from '../../src/billing/create-credit-note.js';
import { readAccountReceivable } from '../../src/payments/payment-store.js';
import { formatAccountStatement } from '../../src/receivables/receivables-text.js';
import { TEST_ACTOR } from '../mediation/mediation-fixture.js';
import { DATABASE_LABEL } from '../test-database.js';
import { openReceivablesFixture, type ReceivablesFixture, statementCsv } from './receivables-fixture.js';

/**
 * A customer's statement of account: billed on February, March and April 1st, a part payment by
 * bank transfer on March 10th, a credit note on March 20th; statements of March, of March and a
 * day, and of April, which follow on from each other.
 */
describe(`statement of account (${DATABASE_LABEL})`, () => {
  let f: ReceivablesFixture;
  let account: string;
  let invoices: { id: string; number: string; total: string }[];
  let creditNoteNumber: string;

  beforeAll(async () => {
    f = await openReceivablesFixture();
    account = (await f.accounts(1, '2026-01-01T00:00:00+01:00'))[0]!;
    for (const run of ['2026-02-01T00:00:00+01:00', '2026-03-01T00:00:00+01:00']) {
      f.clock.now = new Date(run);
      await f.billRun(run);
    }
    f.clock.now = new Date('2026-03-10T10:00:00Z');
    const accountNumber = await f.accountNumberOf(account);
    const imported = await f.call('POST', '/v1/bank-statements', {
      fileName: 'march.csv',
      content: statementCsv([['2026-03-10', '50.00', 'EUR', `Konto ${accountNumber}`, 'Jürgen']]),
    });
    expect(imported.json().matched).toBe(1);
    invoices = await f.invoicesOf(account);
    f.clock.now = new Date('2026-03-20T10:00:00Z');
    const credit = await createCreditNote(
      f.database.db,
      f.tenantId,
      TEST_ACTOR,
      invoices[1]!.id,
      { reason: 'Outage', lines: [{ position: 1, amount: '10.00' }] },
      f.clock.now,
    );
    if (!credit.ok) throw new Error(JSON.stringify(credit));
    const note = await f.database.db
      .selectFrom('invoices')
      .select('number')
      .where('id', '=', credit.creditNoteId)
      .executeTakeFirstOrThrow();
    creditNoteNumber = note.number!;
    f.clock.now = new Date('2026-04-01T00:00:00+02:00');
    await f.billRun('2026-04-01T00:00:00+02:00');
    invoices = await f.invoicesOf(account);
    f.clock.now = new Date('2026-04-20T10:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  const statement = (from: string, to: string) =>
    f.call(
      'GET',
      `/v1/accounts/${account}/account-statement?from=${from}&to=${to}`,
      undefined,
      f.keys.readOnly,
    );

  it('opens with what was owed, runs the balance through invoice, payment and credit note, and closes', async () => {
    expect(invoices.map((i) => i.total)).toEqual(['71.40', '35.70', '35.70']);
    const response = await statement('2026-03-01', '2026-04-01');
    expect(response.statusCode, response.body).toBe(200);
    const march = response.json();
    expect(march).toMatchObject({
      accountId: account,
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      issuedOn: '2026-04-20',
      period: { from: '2026-03-01', to: '2026-03-31' },
      openingBalance: '71.40',
      totals: { debits: '35.70', credits: '61.90' },
      closingBalance: '45.20',
    });
    expect(
      march.lines.map(
        (l: { date: string; kind: string; reference: string | null; amount: string; balance: string }) => [
          l.date,
          l.kind,
          l.reference,
          l.amount,
          l.balance,
        ],
      ),
    ).toEqual([
      ['2026-03-01', 'invoice', invoices[1]!.number, '35.70', '107.10'],
      ['2026-03-10', 'payment', expect.stringContaining('Konto'), '-50.00', '57.10'],
      ['2026-03-20', 'credit_note', creditNoteNumber, '-11.90', '45.20'],
    ]);
    expect(march.lines[2].description).toBe(
      `Credit note ${creditNoteNumber} for invoice ${invoices[1]!.number}`,
    );
  });

  it('follows on: the next period opens with the closing balance, and ends where the account stands', async () => {
    const april = (await statement('2026-04-01', '2026-05-01')).json();
    expect(april.openingBalance).toBe('45.20');
    expect(april.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount])).toEqual([
      ['invoice', '35.70'],
    ]);
    expect(april.closingBalance).toBe('80.90');
    const longer = (await statement('2026-03-01', '2026-04-02')).json();
    expect(longer.lines).toHaveLength(4);
    expect(longer.closingBalance).toBe('80.90');
    const position = await readAccountReceivable(f.database.db, f.tenantId, account, '2026-04-20');
    expect(position.outstandingMicros - position.creditMicros).toBe(80_900_000n);
  });

  it('prints as a table with debit, credit and balance', async () => {
    const text = formatAccountStatement((await statement('2026-03-01', '2026-04-01')).json());
    expect(text).toContain('Period 2026-03-01 to 2026-03-31 (Europe/Berlin)');
    const rows = text.split('\n');
    expect(rows.find((row) => row.includes('Opening balance'))).toMatch(/Opening balance\s+71\.40$/);
    expect(rows.find((row) => row.includes('Payment'))).toMatch(/^2026-03-10 .*\s50\.00\s+57\.10$/);
    expect(rows.find((row) => row.includes('Closing balance'))).toMatch(/45\.20$/);
  });

  it('needs both days, and answers 404 for an account of no one', async () => {
    const missing = await f.call(
      'GET',
      `/v1/accounts/${account}/account-statement?from=2026-03-01`,
      undefined,
      f.keys.readOnly,
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('querystring:/to');
    const unknown = await f.call(
      'GET',
      '/v1/accounts/00000000-0000-4000-8000-000000000000/account-statement?from=2026-03-01&to=2026-04-01',
      undefined,
      f.keys.readOnly,
    );
    expect(unknown.statusCode).toBe(404);
  });
});
