import type { Kysely } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { foldReportSummaries } from './fold-report-summaries.js';
import type { ReportDefinition, ReportQueryRow, ReportScope, ReportTable } from './report-definition.js';

/**
 * Runs a report on its scope and builds its table: every value exact text, money formatted in
 * the row's currency (or the scope's). Pending summary deltas are folded first when no other
 * process is folding, so the summaries a report reads stay compact without a scheduler.
 */
export async function runReport(
  db: Kysely<Database>,
  report: ReportDefinition,
  scope: ReportScope,
  now: Date,
): Promise<ReportTable> {
  await foldReportSummaries(db);
  const { rows } = await report.query(scope).execute(db);
  return {
    report: report.name,
    title: report.title,
    from: scope.from,
    to: scope.to,
    interval: scope.interval,
    currency: scope.currency,
    columns: report.columns,
    rows: rows.map((row) => formatRow(report, row, scope)),
    chart: report.chart,
    generatedAt: now.toISOString(),
  };
}

function formatRow(
  report: ReportDefinition,
  row: ReportQueryRow,
  scope: ReportScope,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const column of report.columns) {
    const value = row[column.key] ?? null;
    if (value === null || column.type !== 'money') {
      out[column.key] = value === null ? null : String(value);
      continue;
    }
    const currency = (row.currency ?? scope.currency ?? '').trim();
    out[column.key] = currency === '' ? String(value) : formatMoneyAmount(BigInt(value), currency);
  }
  return out;
}
