import { describe, expect, it } from 'vitest';
import { decideBankLine, type NamedDocuments } from '../../src/receivables/decide-bank-line.js';
import { readBankStatementCsv } from '../../src/receivables/read-bank-statement-csv.js';
import { referenceNumbersIn } from '../../src/receivables/reference-numbers.js';

function lines(content: string, options = {}) {
  const read = readBankStatementCsv(content, options);
  if (!read.ok) throw new Error(read.message);
  return read.lines;
}

describe('reading a bank statement CSV', () => {
  it('reads the default layout exactly, in micro-units', () => {
    expect(
      lines('date,amount,currency,reference,counterparty\n2026-04-07,71.40,eur,INV-000001,Jürgen\n'),
    ).toEqual([
      {
        lineNumber: 2,
        bookedOn: '2026-04-07',
        amountMicros: 71_400_000n,
        currency: 'EUR',
        reference: 'INV-000001',
        counterparty: 'Jürgen',
        problems: [],
      },
    ]);
  });

  it.each([
    ['.', '1,234.56', 1_234_560_000n],
    ['.', '-0.5', -500_000n],
    ['.', '+12', 12_000_000n],
    [',', '1.234,56', 1_234_560_000n],
    [',', '1234,5', 1_234_500_000n],
    [',', '-3,50', -3_500_000n],
  ] as const)('reads amounts with the decimal separator %s: %s', (decimalSeparator, text, micros) => {
    const [line] = lines(`date;amount;currency;reference\n2026-04-07;"${text}";EUR;x`, { decimalSeparator });
    expect(line?.amountMicros).toBe(micros);
  });

  it.each([
    ['.', '1,23', 'amount "1,23" is not an amount with the decimal separator "."'],
    [',', '1.23', 'amount "1.23" is not an amount with the decimal separator ","'],
    ['.', '1.234', 'amount "1.234" has more decimals than EUR has (2)'],
    ['.', '12 EUR', 'amount "12 EUR" is not an amount with the decimal separator "."'],
  ] as const)('refuses amounts with the decimal separator %s: %s', (decimalSeparator, text, problem) => {
    const [line] = lines(`date;amount;currency;reference\n2026-04-07;${text};EUR;x`, { decimalSeparator });
    expect(line?.problems).toEqual([problem]);
    expect(line?.amountMicros).toBeNull();
  });

  it.each([
    ['YYYY-MM-DD', '2026-04-07', '2026-04-07'],
    ['DD.MM.YYYY', '7.4.2026', '2026-04-07'],
    ['DD/MM/YYYY', '07/04/2026', '2026-04-07'],
  ] as const)('reads dates in the form %s', (dateFormat, text, iso) => {
    const [line] = lines(`date,amount,currency,reference\n${text},1.00,EUR,x`, { dateFormat });
    expect(line?.bookedOn).toBe(iso);
  });

  it('keeps every line that cannot be read whole, each problem naming its field', () => {
    const read = lines(
      [
        'date,amount,currency,reference',
        '07.04.2026,1.00,EUR,x',
        '2026-04-31,1.00,EUR,x',
        '2026-04-07,1.00,EURO,x',
        '2026-04-07,1.00',
        '2026-04-07,1.00,EUR,"never closed',
      ].join('\n'),
    );
    expect(read.map((line) => [line.lineNumber, line.problems])).toEqual([
      [2, ['date "07.04.2026" is not a date in the form YYYY-MM-DD']],
      [3, ['date "2026-04-31" is not a calendar date']],
      [4, ['currency "EURO" is not an ISO 4217 currency code']],
      [5, ['the line has 2 columns, the header 4', 'currency is missing']],
      [6, [expect.stringMatching(/^not valid CSV: /)]],
    ]);
  });

  it('counts lines from where a record starts, across quoted line breaks and CRLF', () => {
    const read = lines(
      'date,amount,currency,reference\r\n2026-04-07,1.00,EUR,"two\r\nlines"\r\n\r\n2026-04-08,2.00,EUR,x\r\n',
    );
    expect(read.map((line) => [line.lineNumber, line.reference])).toEqual([
      [2, 'two\nlines'],
      [5, 'x'],
    ]);
  });

  it('finds the delimiter from the header, and takes the currency from the options when there is no column', () => {
    const [line] = lines('Datum;Betrag;Zweck\n2026-04-07;5,00;A-000001', {
      decimalSeparator: ',',
      currency: 'EUR',
      columns: { date: 'datum', amount: 'BETRAG', reference: 'Zweck' },
    });
    expect(line).toMatchObject({
      amountMicros: 5_000_000n,
      currency: 'EUR',
      reference: 'A-000001',
      problems: [],
    });
  });

  it('refuses a file without a header or without a needed column, naming the option to set', () => {
    expect(readBankStatementCsv('', {})).toMatchObject({ ok: false, field: '/content' });
    expect(readBankStatementCsv('date,amount,reference\n', {})).toMatchObject({
      ok: false,
      field: '/options/columns/currency',
    });
    expect(
      readBankStatementCsv('date,amount,currency,reference\n', { columns: { counterparty: 'Payer' } }),
    ).toMatchObject({
      ok: false,
      field: '/options/columns/counterparty',
    });
  });
});

describe('numbers in a reference', () => {
  it.each([
    ['INV-000042', ['INV-000042']],
    ['inv000042 thanks', ['INV-000042']],
    ['Rechnung INV 000042', ['INV-000042']],
    ['PAYMENT-INV-000042/A-000007', ['PAYMENT-INV-000042', 'INV-000042', 'A-000007']],
    ['INV-DE-001234', ['INV-DE-001234', 'DE-001234']],
    ['amount 12345 and 2026-000001', []],
    ['IBAN DE89370400440532013000', []],
  ])('%s', (reference, expected) => {
    expect(referenceNumbersIn(reference).map((n) => n.text)).toEqual(expected);
  });
});

describe('deciding a line', () => {
  const named: NamedDocuments = {
    invoices: new Map([
      [
        'INV-000001',
        { id: 'i1', number: 'INV-000001', accountId: 'a1', accountNumber: 'A-000001', currency: 'EUR' },
      ],
      [
        'INV-000002',
        { id: 'i2', number: 'INV-000002', accountId: 'a2', accountNumber: 'A-000002', currency: 'EUR' },
      ],
      [
        'INV-000003',
        { id: 'i3', number: 'INV-000003', accountId: 'a1', accountNumber: 'A-000001', currency: 'EUR' },
      ],
    ]),
    accounts: new Map([
      ['A-000001', { id: 'a1', accountNumber: 'A-000001', currency: 'EUR' }],
      ['A-000002', { id: 'a2', accountNumber: 'A-000002', currency: 'EUR' }],
      ['A-000009', { id: 'a9', accountNumber: 'A-000009', currency: 'CHF' }],
    ]),
  };
  const line = (reference: string, amountMicros = 1_000_000n, bookedOn = '2026-04-07') => ({
    lineNumber: 2,
    bookedOn,
    amountMicros,
    currency: 'EUR',
    reference,
    counterparty: '',
    problems: [],
  });

  it.each([
    ['INV-000003 INV-000001', { status: 'matched', accountId: 'a1', invoiceId: 'i3' }],
    ['INV-000001 A-000001', { status: 'matched', accountId: 'a1', invoiceId: 'i1' }],
    ['a-000002', { status: 'matched', accountId: 'a2', invoiceId: null }],
    [
      'INV-000001 INV-000002',
      {
        status: 'unmatched',
        reason:
          'the reference names invoices of several accounts: INV-000001 (A-000001), INV-000002 (A-000002)',
      },
    ],
    [
      'INV-000001 A-000002',
      {
        status: 'unmatched',
        reason: 'the reference names invoice INV-000001 of account A-000001 and account A-000002',
      },
    ],
    [
      'A-000001 A-000002',
      { status: 'unmatched', reason: 'the reference names several accounts: A-000001, A-000002' },
    ],
    ['A-000009', { status: 'unmatched', reason: 'account A-000009 is billed in CHF, the line is in EUR' }],
    ['INV-000099', { status: 'unmatched', reason: 'no invoice or account number in the reference' }],
  ])('%s', (reference, decision) => {
    expect(decideBankLine(line(reference), named, '2026-04-08')).toEqual(decision);
  });

  it('ignores money going out and nothing, and keeps a line from the future for review', () => {
    expect(decideBankLine(line('INV-000001', -1n), named, '2026-04-08').status).toBe('ignored');
    expect(decideBankLine(line('INV-000001', 0n), named, '2026-04-08').status).toBe('ignored');
    expect(decideBankLine(line('INV-000001', 1n, '2026-04-09'), named, '2026-04-08')).toEqual({
      status: 'unmatched',
      reason: 'line 2: date 2026-04-09 is in the future',
    });
  });
});
