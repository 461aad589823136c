/** The report summary tables (see db/migrations/0012-reports.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the summary tables
export type ReportTables = {};
