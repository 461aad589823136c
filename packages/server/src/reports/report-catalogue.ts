import {
  billRunsReport,
  dunningFunnelReport,
  mediationReport,
  ratingFailuresReport,
} from './operations-reports.js';
import type { ReportDefinition } from './report-definition.js';
import {
  revenueByDestinationReport,
  revenueByPlanReport,
  revenueByServiceReport,
  revenueReport,
  subscriptionsReport,
  taxesReport,
} from './revenue-reports.js';
import {
  dataTrendReport,
  topDestinationsReport,
  usageByHourReport,
  usageBySourceReport,
  usageByTenantReport,
  usageByWeekdayReport,
} from './usage-reports.js';

/** Every named report, in the order they are listed. */
export const REPORTS: readonly ReportDefinition[] = [
  revenueReport,
  revenueByServiceReport,
  revenueByPlanReport,
  revenueByDestinationReport,
  subscriptionsReport,
  taxesReport,
  usageByHourReport,
  usageByWeekdayReport,
  topDestinationsReport,
  dataTrendReport,
  usageBySourceReport,
  mediationReport,
  ratingFailuresReport,
  billRunsReport,
  dunningFunnelReport,
  usageByTenantReport,
];

/** The reports of one tenant (the API's), or every report including the cross-tenant ones (the CLI's). */
export function listReports(options: { readonly acrossTenants: boolean }): readonly ReportDefinition[] {
  return options.acrossTenants ? REPORTS : REPORTS.filter((r) => r.acrossTenants !== true);
}

export function findReport(
  name: string,
  options: { readonly acrossTenants: boolean },
): ReportDefinition | undefined {
  return listReports(options).find((r) => r.name === name);
}
