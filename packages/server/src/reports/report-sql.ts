import { type RawBuilder, sql } from 'kysely';
import type { ReportScope } from './report-definition.js';

/** The period a local day falls in, as YYYY-MM-DD text (weeks start on Monday, ISO 8601). */
export function periodOf(column: string, scope: ReportScope): RawBuilder<string> {
  const interval = scope.interval ?? 'month';
  return sql<string>`date_trunc(${interval}, ${sql.ref(column)}::timestamp)::date::text`;
}

/** `column` between the scope's first and last day, both included. */
export function inDays(column: string, scope: ReportScope): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} between ${scope.from}::date and ${scope.to}::date`;
}

/** A month column (its first day) for every month the scope touches. */
export function inMonths(column: string, scope: ReportScope): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} between date_trunc('month', ${scope.from}::timestamp)::date and ${scope.to}::date`;
}

/** The tenant's rows, or every tenant's for a cross-tenant report. */
export function ofTenant(column: string, scope: ReportScope): RawBuilder<boolean> {
  return scope.tenantId === null
    ? sql<boolean>`true`
    : sql<boolean>`${sql.ref(column)} = ${scope.tenantId}::uuid`;
}

/** Rows of the scope's currency, or of every currency. */
export function ofCurrency(column: string, scope: ReportScope): RawBuilder<boolean> {
  return scope.currency === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(column)} = ${scope.currency}`;
}

/** The nil uuid: a summary key without a plan. */
export const NO_PLAN = '00000000-0000-0000-0000-000000000000';
