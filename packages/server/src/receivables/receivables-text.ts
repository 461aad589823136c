import type { AccountStatementView } from './account-statement-schemas.js';
import type { AgingReportView } from './aging-report-schemas.js';

type Align = 'left' | 'right';

/** Rows as columns of text padded to their widest cell; amounts are aligned right. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** The aging report as a table: one row per account and currency, then the totals per currency. */
export function formatAgingTable(report: AgingReportView): string {
  const header = [
    'Account',
    'Customer',
    'Cur',
    'Current',
    '1-30',
    '31-60',
    '61-90',
    'Over 90',
    'Outstanding',
    'Credit',
  ];
  const align: Align[] = [
    'left',
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
  ];
  const amounts = (row: AgingReportView['accounts'][number] | AgingReportView['totals'][number]) => [
    row.buckets.current,
    row.buckets.days_1_30,
    row.buckets.days_31_60,
    row.buckets.days_61_90,
    row.buckets.days_over_90,
    row.outstanding,
    row.unappliedCredit,
  ];
  const rows = [
    ...report.accounts.map((row) => [row.accountNumber, row.customerName, row.currency, ...amounts(row)]),
    ...report.totals.map((row) => [
      'Total',
      `${row.accounts} account${row.accounts === 1 ? '' : 's'}`,
      row.currency,
      ...amounts(row),
    ]),
  ];
  if (report.accounts.length === 0)
    return `Aging as of ${report.asOf}: nothing is owed and no account holds credit\n`;
  return [`Aging as of ${report.asOf} (days past due)`, '', ...textTable(header, rows, align), ''].join('\n');
}

/** The statement of account as a table with debit, credit and running balance columns. */
export function formatAccountStatement(statement: AccountStatementView): string {
  const header = ['Date', 'Description', 'Reference', 'Debit', 'Credit', 'Balance'];
  const align: Align[] = ['left', 'left', 'left', 'right', 'right', 'right'];
  const rows = [
    ['', 'Opening balance', '', '', '', statement.openingBalance],
    ...statement.lines.map((line) => {
      const negative = line.amount.startsWith('-');
      return [
        line.date,
        line.description,
        line.reference ?? '',
        negative ? '' : line.amount,
        negative ? line.amount.slice(1) : '',
        line.balance,
      ];
    }),
    ['', 'Totals', '', statement.totals.debits, statement.totals.credits, ''],
    ['', 'Closing balance', '', '', '', statement.closingBalance],
  ];
  return [
    `Statement of account ${statement.accountNumber}, ${statement.customerName} (${statement.currency})`,
    `Period ${statement.period.from} to ${statement.period.to} (${statement.timeZone}), issued ${statement.issuedOn}`,
    'Balance: what the customer owes; negative: in credit',
    '',
    ...textTable(header, rows, align),
    '',
  ].join('\n');
}
