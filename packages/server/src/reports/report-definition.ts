import type { RawBuilder } from 'kysely';

export type ReportParameter = 'from' | 'to' | 'interval' | 'currency';
export type ReportInterval = 'day' | 'week' | 'month';
export type ReportColumnType = 'text' | 'date' | 'integer' | 'money' | 'decimal' | 'percent';

export interface ReportColumn {
  readonly key: string;
  readonly label: string;
  readonly type: ReportColumnType;
}

export interface ReportChart {
  readonly kind: 'bar' | 'line';
  /** A column key. */
  readonly x: string;
  readonly series: readonly string[];
}

/** What a report runs over: local days of the tenant's zone, `to` included. */
export interface ReportScope {
  /** Null: every tenant (the CLI's cross-tenant reports only). */
  readonly tenantId: string | null;
  readonly from: string;
  readonly to: string;
  readonly interval: ReportInterval | null;
  readonly currency: string | null;
}

/** A row as the query answers it: text values; money as micro-units beside a `currency` column. */
export type ReportQueryRow = Record<string, string | null>;

/**
 * A named report: its parameters, its columns, and one SQL query on the summary tables (or on a
 * small, indexed operational table). Money columns are selected as micro-units and formatted
 * with the row's `currency` when the table is built.
 */
export interface ReportDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly ReportParameter[];
  readonly columns: readonly ReportColumn[];
  readonly chart: ReportChart | null;
  /** True for reports across tenants: the CLI offers them, the tenant-scoped API does not. */
  readonly acrossTenants?: boolean;
  readonly query: (scope: ReportScope) => RawBuilder<ReportQueryRow>;
}

export interface ReportTable {
  readonly report: string;
  readonly title: string;
  readonly from: string;
  readonly to: string;
  readonly interval: ReportInterval | null;
  readonly currency: string | null;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, string | null>>[];
  readonly chart: ReportChart | null;
  readonly generatedAt: string;
}
