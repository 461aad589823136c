import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { textTable } from '../receivables/receivables-text.js';
import { findReport, listReports } from '../reports/report-catalogue.js';
import { reportCsv } from '../reports/report-csv.js';
import type { ReportTable } from '../reports/report-definition.js';
import { localToday, scopeOf } from '../reports/report-parameters.js';
import { runReport } from '../reports/run-report.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

interface ReportFlags {
  readonly from?: string;
  readonly to?: string;
  readonly interval?: string;
  readonly currency?: string;
  readonly tenant?: string;
  readonly format: string;
  readonly output?: string;
}

const FORMATS = ['table', 'csv', 'json'] as const;

/** `tollgate report list` and `tollgate report <name>`: the API's reports, and the cross-tenant ones. */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('run a named report (`tollgate report list` names them) as a table, CSV or JSON')
    .argument('<name>', 'the report, or `list`')
    .option(
      '--from <date>',
      "first local day, YYYY-MM-DD (default: 12 whole months back, in the tenant's zone)",
    )
    .option('--to <date>', 'last local day, included (default: the end of last month)')
    .option('--interval <unit>', 'day, week or month, for reports per period (default month)')
    .option('--currency <code>', 'only this currency')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--output <file>', 'write to this file instead of standard output')
    .action((name: string, flags: ReportFlags) =>
      withDatabase((db) => (name === 'list' ? list(flags) : run(db, name, flags))),
    );
}

async function list(flags: ReportFlags): Promise<number> {
  const reports = listReports({ acrossTenants: true });
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(reports.map((r) => ({ name: r.name, title: r.title, description: r.description, parameters: r.parameters })))}\n`
      : `${textTable(
          ['Report', 'Parameters', 'Title'],
          reports.map((r) => [
            r.name,
            r.parameters.join(','),
            r.title + (r.acrossTenants ? ' (all tenants)' : ''),
          ]),
          ['left', 'left', 'left'],
        ).join('\n')}\n`;
  await emit(text, flags.output);
  return ExitCode.ok;
}

async function run(db: Kysely<Database>, name: string, flags: ReportFlags): Promise<number> {
  const report = findReport(name, { acrossTenants: true });
  if (report === undefined) {
    console.error(`no report "${name}": \`tollgate report list\` names them`);
    return ExitCode.usage;
  }
  if (!(FORMATS as readonly string[]).includes(flags.format)) {
    console.error('--format: must be table, csv or json');
    return ExitCode.usage;
  }
  let tenantId: string | null = null;
  let zone = 'UTC';
  if (report.acrossTenants !== true) {
    const tenant = await findCliTenant(db, flags.tenant);
    if (typeof tenant === 'string') {
      console.error(tenant);
      return ExitCode.usage;
    }
    tenantId = tenant.id;
    const row = await db
      .selectFrom('tenants')
      .select('time_zone')
      .where('id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    zone = row.time_zone;
  }
  const now = new Date();
  const scoped = scopeOf(report, flags, tenantId, localToday(now, zone));
  if (!scoped.ok) {
    for (const error of scoped.errors) console.error(`--${error.field.slice(1)}: ${error.message}`);
    return ExitCode.usage;
  }
  const table = await runReport(db, report, scoped.scope, now);
  const text =
    flags.format === 'csv'
      ? reportCsv(table)
      : flags.format === 'json'
        ? `${JSON.stringify(table)}\n`
        : formatted(table);
  await emit(text, flags.output);
  return ExitCode.ok;
}

function formatted(table: ReportTable): string {
  const numeric = new Set(['integer', 'money', 'decimal', 'percent']);
  const rows = table.rows.map((row) => table.columns.map((c) => row[c.key] ?? ''));
  const lines = textTable(
    table.columns.map((c) => c.label),
    rows,
    table.columns.map((c) => (numeric.has(c.type) ? 'right' : 'left')),
  );
  const heading = `${table.title}, ${table.from} to ${table.to}${table.interval === null ? '' : ` by ${table.interval}`}`;
  return [heading, '', ...lines, ''].join('\n');
}

async function emit(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) process.stdout.write(text);
  else await writeFile(output, text);
}
