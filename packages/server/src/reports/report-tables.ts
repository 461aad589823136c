import type { ColumnType, Generated } from 'kysely';

/**
 * The report summary tables (see db/migrations/0012-reports.ts). Triggers append delta rows;
 * fold-report-summaries.ts folds them. Days and months are `date` columns: read them as text
 * (`day::text`), since both drivers would turn a date into a Date at local midnight.
 */
export interface ReportTables {
  report_usage_daily: ReportUsageDailyTable;
  report_usage_hourly: ReportUsageHourlyTable;
  report_usage_destinations: ReportUsageDestinationTable;
  report_invoice_daily: ReportInvoiceDailyTable;
  report_revenue_daily: ReportRevenueDailyTable;
  report_tax_daily: ReportTaxDailyTable;
  report_payments_daily: ReportPaymentsDailyTable;
}

/** A date column written as YYYY-MM-DD text. */
type DateColumn = ColumnType<string, string, string>;

interface Folded {
  folded: Generated<boolean>;
}

export interface ReportUsageDailyTable extends Folded {
  tenant_id: string;
  day: DateColumn;
  service: string;
  source_id: string;
  /** The nil uuid when the line has no plan. */
  plan_id: string;
  currency: string;
  unit: string;
  events: bigint;
  units: bigint;
  charged_micros: bigint;
  list_micros: bigint;
}

export interface ReportUsageHourlyTable extends Folded {
  tenant_id: string;
  month: DateColumn;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  hour: number;
  service: string;
  currency: string;
  unit: string;
  events: bigint;
  units: bigint;
  charged_micros: bigint;
}

export interface ReportUsageDestinationTable extends Folded {
  tenant_id: string;
  month: DateColumn;
  service: string;
  /** The tariff's destination id; empty when the rating named none. */
  destination: string;
  currency: string;
  unit: string;
  events: bigint;
  units: bigint;
  charged_micros: bigint;
  list_micros: bigint;
}

export interface ReportInvoiceDailyTable extends Folded {
  tenant_id: string;
  day: DateColumn;
  currency: string;
  kind: 'invoice' | 'credit_note';
  documents: bigint;
  net_micros: bigint;
  tax_micros: bigint;
  total_micros: bigint;
}

export interface ReportRevenueDailyTable extends Folded {
  tenant_id: string;
  day: DateColumn;
  currency: string;
  kind: 'invoice' | 'credit_note';
  line_kind: string;
  service: string;
  plan_id: string;
  lines: bigint;
  amount_micros: bigint;
  tax_micros: bigint;
}

export interface ReportTaxDailyTable extends Folded {
  tenant_id: string;
  day: DateColumn;
  currency: string;
  code: string;
  name: string;
  rate_percent: string;
  lines: bigint;
  base_micros: bigint;
  tax_micros: bigint;
}

export interface ReportPaymentsDailyTable extends Folded {
  tenant_id: string;
  day: DateColumn;
  currency: string;
  source: string;
  payments: bigint;
  received_micros: bigint;
  refunded_micros: bigint;
  charged_back_micros: bigint;
}
