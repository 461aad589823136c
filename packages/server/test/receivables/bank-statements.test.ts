import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountReceivable } from '../../src/payments/payment-store.js';
import { createTestTenant } from '../api/api-fixtures.js';
import { DATABASE_LABEL } from '../test-database.js';
import {
  APRIL_1,
  openReceivablesFixture,
  type ReceivablesFixture,
  statementCsv,
} from './receivables-fixture.js';

interface Line {
  id: string;
  lineNumber: number;
  status: string;
  reason: string | null;
  amount: string;
  currency: string;
  bookedOn: string;
  invoiceId: string | null;
  paymentId: string | null;
  resolvedAt: string | null;
}

/**
 * Bank statements through the API: five accounts billed 71.40 each on April 1st, then a statement
 * that pays some by invoice number and by account number, in part and too much, with lines in the
 * wrong currency, unreadable, outgoing and without any number; the same file again; a German
 * export; and the review of what did not match.
 */
describe(`bank statements (${DATABASE_LABEL})`, () => {
  let f: ReceivablesFixture;
  let accounts: string[];
  let numbers: string[];
  let invoices: { id: string; number: string; total: string }[];
  let firstImportId: string;
  let file: string;

  beforeAll(async () => {
    f = await openReceivablesFixture();
    accounts = await f.accounts(6);
    f.clock.now = new Date(APRIL_1);
    await f.billRun(APRIL_1);
    numbers = await Promise.all(accounts.map((id) => f.accountNumberOf(id)));
    invoices = [];
    for (const id of accounts) {
      const [invoice] = await f.invoicesOf(id);
      if (invoice === undefined) throw new Error(`account ${id} has no invoice`);
      expect(invoice.total).toBe('71.40');
      invoices.push(invoice);
    }
    f.clock.now = new Date('2026-04-10T09:00:00Z');
    file = statementCsv([
      ['2026-04-07', '71.40', 'EUR', `Rechnung ${invoices[0]!.number} danke`, 'Jürgen Müller 1'],
      ['2026-04-07', '71.40', 'EUR', `Kundennr. ${numbers[1]!.toLowerCase()}`, 'Jürgen Müller 2'],
      ['2026-04-08', '30.00', 'EUR', `${invoices[2]!.number.toLowerCase().replace('-', '')} part`, 'M 3'],
      ['2026-04-08', '121.40', 'EUR', invoices[3]!.number, 'M 4'],
      ['2026-04-08', '71.40', 'USD', invoices[4]!.number, 'M 5'],
      ['2026-04-09', '12,3x', 'EUR', invoices[4]!.number, 'M 5'],
      ['2026-02-30', '71.40', 'EUR', invoices[4]!.number, 'M 5'],
      ['2026-04-09', '-25.00', 'EUR', 'Bankgebühren', 'Bank'],
      ['2026-04-09', '71.40', 'EUR', 'Danke für alles', 'Unbekannt'],
    ]);
  });
  afterAll(async () => {
    await f?.close();
  });

  const linesOf = async (importId: string): Promise<Line[]> =>
    (
      await f.call(
        'GET',
        `/v1/bank-statement-lines?importId=${importId}&limit=200`,
        undefined,
        f.keys.readOnly,
      )
    ).json().items;
  const counts = async () => {
    const { rows } = await sql<{ imports: string; lines: string; payments: string; audit: string }>`
      select (select count(*) from bank_statement_imports)::text as imports,
        (select count(*) from bank_statement_lines)::text as lines,
        (select count(*) from payments)::text as payments,
        (select count(*) from audit_log)::text as audit`.execute(f.database.db);
    return rows[0]!;
  };

  it('refuses an import to a read-only key', async () => {
    const response = await f.call(
      'POST',
      '/v1/bank-statements',
      { fileName: 'x.csv', content: file },
      f.keys.readOnly,
    );
    expect(response.statusCode).toBe(403);
  });

  it('answers the counts of a dry run and keeps nothing of it', async () => {
    const before = await counts();
    const response = await f.call('POST', '/v1/bank-statements', {
      fileName: 'april.csv',
      content: file,
      dryRun: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ lines: 9, matched: 4, unmatched: 4, ignored: 1 });
    expect(await counts()).toEqual(before);
    const [invoice] = await f.invoicesOf(accounts[0]!);
    expect(invoice).toMatchObject({ status: 'finalized', amountDue: '71.40' });
  });

  it('matches lines by invoice and account number, in part and too much, and keeps the rest with reasons', async () => {
    const response = await f.call('POST', '/v1/bank-statements', { fileName: 'april.csv', content: file });
    expect(response.statusCode, response.body).toBe(201);
    const imported = response.json();
    firstImportId = imported.id;
    expect(imported).toMatchObject({
      fileName: 'april.csv',
      sha256: createHash('sha256').update(file).digest('hex'),
      lines: 9,
      matched: 4,
      unmatched: 4,
      ignored: 1,
      matchedAmounts: [{ currency: 'EUR', amount: '294.20' }],
    });

    const [paidInFull] = await f.invoicesOf(accounts[0]!);
    expect(paidInFull).toMatchObject({ status: 'paid', amountDue: '0.00' });
    const [byAccount] = await f.invoicesOf(accounts[1]!);
    expect(byAccount).toMatchObject({ status: 'paid', amountDue: '0.00' });
    const [partly] = await f.invoicesOf(accounts[2]!);
    expect(partly).toMatchObject({ status: 'finalized', amountDue: '41.40' });
    const [overpaid] = await f.invoicesOf(accounts[3]!);
    expect(overpaid).toMatchObject({ status: 'paid', amountDue: '0.00' });
    const position = await readAccountReceivable(f.database.db, f.tenantId, accounts[3]!, '2026-04-10');
    expect(position).toEqual({ creditMicros: 50_000_000n, outstandingMicros: 0n, overdueMicros: 0n });
    const [untouched] = await f.invoicesOf(accounts[4]!);
    expect(untouched).toMatchObject({ status: 'finalized', amountDue: '71.40' });

    const lines = await linesOf(imported.id);
    expect(lines.map((l) => [l.lineNumber, l.status])).toEqual([
      [2, 'matched'],
      [3, 'matched'],
      [4, 'matched'],
      [5, 'matched'],
      [6, 'unmatched'],
      [7, 'unmatched'],
      [8, 'unmatched'],
      [9, 'ignored'],
      [10, 'unmatched'],
    ]);
    const byNumber = new Map(lines.map((l) => [l.lineNumber, l]));
    expect(byNumber.get(2)).toMatchObject({ invoiceId: invoices[0]!.id, reason: null });
    expect(byNumber.get(3)).toMatchObject({ invoiceId: null });
    expect(byNumber.get(6)!.reason).toBe(`invoice ${invoices[4]!.number} is in EUR, the line in USD`);
    expect(byNumber.get(7)!.reason).toBe(
      'line 7: amount "12,3x" is not an amount with the decimal separator "."',
    );
    expect(byNumber.get(7)).toMatchObject({ amount: '0.00', currency: 'EUR' });
    expect(byNumber.get(8)!.reason).toBe('line 8: date "2026-02-30" is not a calendar date');
    expect(byNumber.get(8)).toMatchObject({ bookedOn: '2026-04-10', amount: '71.40' });
    expect(byNumber.get(9)).toMatchObject({
      amount: '-25.00',
      reason: 'money going out (a negative amount)',
    });
    expect(byNumber.get(10)!.reason).toBe('no invoice or account number in the reference');

    const payment = await f.database.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', byNumber.get(2)!.paymentId!)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({
      source: 'bank_transfer',
      status: 'succeeded',
      invoice_id: invoices[0]!.id,
      amount_micros: 71_400_000n,
      reference: `Rechnung ${invoices[0]!.number} danke`,
      idempotency_key: `bank:${imported.sha256}:2`,
    });
    expect(payment.received_at?.toISOString()).toBe('2026-04-07T00:00:00.000Z');
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('object_id', '=', imported.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['bank_statement.imported']);
  });

  it('refuses the same file again with the first import named, and adds nothing', async () => {
    const before = await counts();
    const again = await f.call('POST', '/v1/bank-statements', { fileName: 'april-again.csv', content: file });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
    expect(again.json().detail).toContain(firstImportId);
    expect(await counts()).toEqual(before);
  });

  it('reads a German export: semicolons, decimal comma, DD.MM.YYYY, own column names, BOM and CRLF', async () => {
    f.clock.now = new Date('2026-04-10T10:00:00Z');
    const german = [
      '\uFEFFBuchungstag;Betrag;Währung;Verwendungszweck;Auftraggeber',
      `09.04.2026;"1.071,40";EUR;"RG ${invoices[5]!.number}; Danke";Erika Mustermann`,
      `9.4.2026;-3,50;EUR;Kontoführung;Bank`,
    ].join('\r\n');
    const response = await f.call('POST', '/v1/bank-statements', {
      fileName: 'umsaetze.csv',
      content: german,
      options: {
        delimiter: ';',
        decimalSeparator: ',',
        dateFormat: 'DD.MM.YYYY',
        columns: {
          date: 'Buchungstag',
          amount: 'betrag',
          currency: 'Währung',
          reference: 'Verwendungszweck',
          counterparty: 'Auftraggeber',
        },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      lines: 2,
      matched: 1,
      unmatched: 0,
      ignored: 1,
      matchedAmounts: [{ currency: 'EUR', amount: '1071.40' }],
    });
    const lines = await linesOf(response.json().id);
    expect(lines.map((l) => [l.lineNumber, l.bookedOn, l.amount, l.status])).toEqual([
      [2, '2026-04-09', '1071.40', 'matched'],
      [3, '2026-04-09', '-3.50', 'ignored'],
    ]);
    const [invoice] = await f.invoicesOf(accounts[5]!);
    expect(invoice).toMatchObject({ status: 'paid', amountDue: '0.00' });
    const position = await readAccountReceivable(f.database.db, f.tenantId, accounts[5]!, '2026-04-10');
    expect(position.creditMicros).toBe(1_000_000_000n);
  });

  it('refuses a file whose header lacks a column, naming it', async () => {
    const response = await f.call('POST', '/v1/bank-statements', {
      fileName: 'bad.csv',
      content: 'date,value,currency,reference\n2026-04-01,1.00,EUR,x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('/options/columns/amount');
  });

  it('lists the unmatched lines a page at a time, in file order', async () => {
    const first = (
      await f.call('GET', '/v1/bank-statement-lines?status=unmatched&limit=2', undefined, f.keys.readOnly)
    ).json();
    expect(first.items.map((l: Line) => l.lineNumber)).toEqual([6, 7]);
    const second = (
      await f.call(
        'GET',
        `/v1/bank-statement-lines?status=unmatched&limit=2&cursor=${first.nextCursor}`,
        undefined,
        f.keys.readOnly,
      )
    ).json();
    expect(second.items.map((l: Line) => l.lineNumber)).toEqual([8, 10]);
    expect(second.nextCursor).toBeNull();
    const bad = await f.call('GET', '/v1/bank-statement-lines?cursor=nonsense', undefined, f.keys.readOnly);
    expect(bad.statusCode).toBe(400);
  });

  it('matches an unmatched line to an invoice on review, and sets another aside with a note', async () => {
    f.clock.now = new Date('2026-04-11T08:00:00Z');
    const lines = await linesOf(firstImportId);
    const noNumber = lines.find((l) => l.lineNumber === 10)!;
    const wrongCurrency = lines.find((l) => l.lineNumber === 6)!;
    const unreadable = lines.find((l) => l.lineNumber === 7)!;

    const toInvoice = await f.call('POST', `/v1/bank-statement-lines/${noNumber.id}/match`, {
      invoiceId: invoices[4]!.id,
    });
    expect(toInvoice.statusCode, toInvoice.body).toBe(200);
    expect(toInvoice.json()).toMatchObject({ status: 'matched', invoiceId: invoices[4]!.id, reason: null });
    expect(toInvoice.json().paymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(toInvoice.json().resolvedAt).toBe('2026-04-11T08:00:00.000Z');
    const [paid] = await f.invoicesOf(accounts[4]!);
    expect(paid).toMatchObject({ status: 'paid', amountDue: '0.00' });

    const again = await f.call('POST', `/v1/bank-statement-lines/${noNumber.id}/match`, {
      accountId: accounts[4],
    });
    expect(again.statusCode).toBe(409);
    const both = await f.call('POST', `/v1/bank-statement-lines/${wrongCurrency.id}/match`, {
      invoiceId: invoices[4]!.id,
      accountId: accounts[4],
    });
    expect(both.statusCode).toBe(400);
    const currency = await f.call('POST', `/v1/bank-statement-lines/${wrongCurrency.id}/match`, {
      accountId: accounts[4],
    });
    expect(currency.statusCode).toBe(422);
    expect(currency.json().errors[0].field).toBe('/accountId');
    const noAmount = await f.call('POST', `/v1/bank-statement-lines/${unreadable.id}/match`, {
      accountId: accounts[4],
    });
    expect(noAmount.statusCode).toBe(409);

    const ignored = await f.call('POST', `/v1/bank-statement-lines/${wrongCurrency.id}/ignore`, {
      note: 'USD transfer returned to the sender',
    });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.json()).toMatchObject({
      status: 'ignored',
      reason: 'USD transfer returned to the sender',
    });
    expect(
      (await f.call('POST', `/v1/bank-statement-lines/${wrongCurrency.id}/ignore`, { note: 'again' }))
        .statusCode,
    ).toBe(409);

    const view = (
      await f.call('GET', `/v1/bank-statements/${firstImportId}`, undefined, f.keys.readOnly)
    ).json();
    expect(view).toMatchObject({
      lines: 9,
      matched: 5,
      unmatched: 2,
      ignored: 2,
      matchedAmounts: [{ currency: 'EUR', amount: '365.60' }],
    });
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('object_type', '=', 'bank_statement_line')
      .orderBy('sequence')
      .execute();
    expect(audit).toEqual([
      { action: 'bank_statement_line.matched', object_id: noNumber.id },
      { action: 'bank_statement_line.ignored', object_id: wrongCurrency.id },
    ]);
  });

  it('shows another tenant none of the imports and lines, and lets it resolve none', async () => {
    const other = await createTestTenant(f.database.db, 'Rival');
    const [line] = await linesOf(firstImportId);
    expect(
      (await f.call('GET', `/v1/bank-statements/${firstImportId}`, undefined, other.keys['read-only']))
        .statusCode,
    ).toBe(404);
    expect(
      (await f.call('GET', '/v1/bank-statement-lines', undefined, other.keys['read-only'])).json().items,
    ).toEqual([]);
    const match = await f.call(
      'POST',
      `/v1/bank-statement-lines/${line!.id}/match`,
      { accountId: accounts[0] },
      other.keys.operator,
    );
    expect(match.statusCode).toBe(404);
    const aging = (await f.call('GET', '/v1/receivables/aging', undefined, other.keys['read-only'])).json();
    expect(aging.accounts).toEqual([]);
  });

  it('lists imports and answers 404 for an unknown one', async () => {
    const list = (await f.call('GET', '/v1/bank-statements?limit=1', undefined, f.keys.readOnly)).json();
    expect(list.items.map((i: { fileName: string }) => i.fileName)).toEqual(['april.csv']);
    const next = (
      await f.call('GET', `/v1/bank-statements?limit=1&cursor=${list.nextCursor}`, undefined, f.keys.readOnly)
    ).json();
    expect(next.items.map((i: { fileName: string }) => i.fileName)).toEqual(['umsaetze.csv']);
    const missing = await f.call(
      'GET',
      '/v1/bank-statements/00000000-0000-4000-8000-000000000000',
      undefined,
      f.keys.readOnly,
    );
    expect(missing.statusCode).toBe(404);
  });
});
