import { csvRecord } from '../insights/csv-field.js';
import type { ReportTable } from './report-definition.js';

/** A report as CSV (RFC 4180, CRLF): a header of the column labels, then a record per row. */
export function reportCsv(table: ReportTable): string {
  const header = csvRecord(table.columns.map((c) => c.label));
  const body = table.rows.map((row) => csvRecord(table.columns.map((c) => row[c.key] ?? ''))).join('');
  return header + body;
}

/** The file name a download of the report gets: tollgate-<report>-<from>-<to>.csv. */
export function reportFileName(table: ReportTable, extension: 'csv' | 'json'): string {
  return `tollgate-${table.report}-${table.from}-${table.to}.${extension}`;
}
