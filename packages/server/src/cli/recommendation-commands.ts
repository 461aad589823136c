import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { csvRecord } from '../insights/csv-field.js';
import { findPlanOpportunities } from '../recommendations/find-plan-opportunities.js';
import { DEFAULT_CYCLES, recommendPlans } from '../recommendations/recommend-plans.js';
import type { WhatIfBody } from '../recommendations/recommendation-schemas.js';
import { simulateWhatIf } from '../recommendations/simulate-what-if.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

interface CommonFlags {
  readonly tenant?: string;
  readonly cycles?: string;
  readonly format?: string;
}

/** `tollgate recommend`, `tollgate plan-opportunities` and `tollgate what-if`. */
export function registerRecommendationCommands(program: Command): void {
  program
    .command('recommend')
    .description(
      "re-price a line's last complete bill cycles under every plan it could move to, cheapest first",
    )
    .argument('<subscription-id>', 'the line')
    .option('--cycles <n>', 'complete bill cycles to compare', String(DEFAULT_CYCLES))
    .option('--format <format>', 'table or json', 'table')
    .option('--tenant <slug>', 'tenant slug')
    .action((id: string, flags: CommonFlags) => withDatabase((db) => recommend(db, id, flags)));
  program
    .command('plan-opportunities')
    .description('lines that would pay less on another plan (saving) or keep exceeding an allowance (upsell)')
    .requiredOption('--kind <kind>', 'saving or upsell')
    .option('--cycles <n>', 'complete bill cycles to compare', String(DEFAULT_CYCLES))
    .option('--limit <n>', 'lines listed at most', '50')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--tenant <slug>', 'tenant slug')
    .action((flags: CommonFlags & { kind: string; limit: string }) =>
      withDatabase((db) => opportunities(db, flags)),
    );
  program
    .command('what-if')
    .description(
      'price a draft plan version or tariff against real usage: revenue change per plan and segment',
    )
    .option('--plan <id>', 'the plan the draft version is for')
    .option('--draft <file>', 'the draft version, JSON as POST /v1/plans/{id}/versions takes it')
    .option('--tariff <id>', 'the tariff the draft document is for')
    .option('--document <file>', 'the draft tariff document (JSON)')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: the first of last month)')
    .option('--to <date>', 'last day, YYYY-MM-DD, inclusive (default: the end of last month)')
    .option('--tenant <slug>', 'tenant slug')
    .action((flags: WhatIfFlags) => withDatabase((db) => whatIf(db, flags)));
}

function cyclesOf(text: string | undefined): number | string {
  const cycles = Number(text ?? DEFAULT_CYCLES);
  return Number.isInteger(cycles) && cycles >= 1 && cycles <= 36
    ? cycles
    : `--cycles must be a whole number from 1 to 36`;
}

async function recommend(db: Kysely<Database>, id: string, flags: CommonFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  const cycles = cyclesOf(flags.cycles);
  if (typeof tenant === 'string') return usage(tenant);
  if (typeof cycles === 'string') return usage(cycles);
  if (flags.format !== 'table' && flags.format !== 'json') return usage('--format must be table or json');
  const result = await recommendPlans(db, tenant.id, id, cycles, new Date());
  if (!result.ok) {
    console.error(result.message);
    return result.code === 'not_found' || result.code === 'invalid' ? ExitCode.usage : ExitCode.refused;
  }
  const r = result.recommendation;
  if (flags.format === 'json') {
    console.log(JSON.stringify(r, null, 2));
    return ExitCode.ok;
  }
  console.log(
    `${r.cycles.length} cycles from ${r.cycles[0]?.from} to ${r.cycles[r.cycles.length - 1]?.to}, ${r.currency}`,
  );
  printTable(
    ['rank', 'plan', 'name', 'total', 'per cycle', 'saving per cycle'],
    r.options.map((o) => [
      String(o.rank),
      `${o.code}${o.current ? ' (current)' : ''}`,
      o.name,
      o.total,
      o.averagePerCycle,
      o.savingPerCycle,
    ]),
  );
  return ExitCode.ok;
}

async function opportunities(
  db: Kysely<Database>,
  flags: CommonFlags & { kind: string; limit: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  const cycles = cyclesOf(flags.cycles);
  const limit = Number(flags.limit);
  if (typeof tenant === 'string') return usage(tenant);
  if (typeof cycles === 'string') return usage(cycles);
  if (flags.kind !== 'saving' && flags.kind !== 'upsell') return usage('--kind must be saving or upsell');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return usage('--limit must be a whole number from 1 to 500');
  const format = flags.format ?? 'table';
  if (format !== 'table' && format !== 'csv' && format !== 'json')
    return usage('--format must be table, csv or json');
  const report = await findPlanOpportunities(db, tenant.id, {
    kind: flags.kind,
    cycles,
    limit,
    now: new Date(),
  });
  if (format === 'json') {
    console.log(JSON.stringify(report, null, 2));
    return ExitCode.ok;
  }
  const header = [
    'customer',
    'account',
    'line',
    'current plan',
    'suggested plan',
    'current per cycle',
    'suggested per cycle',
    'saving per cycle',
    'cycles over allowance',
    'cycles',
    'currency',
  ];
  const rows = report.items.map((i) => [
    i.customerName,
    i.accountNumber,
    i.identifier ?? i.subscriptionId,
    i.currentPlan.code,
    i.suggestedPlan.code,
    i.currentAveragePerCycle,
    i.suggestedAveragePerCycle,
    i.savingPerCycle,
    String(i.cyclesOverAllowance),
    String(i.cyclesCompared),
    i.currency,
  ]);
  if (format === 'csv') process.stdout.write([header, ...rows].map(csvRecord).join(''));
  else printTable(header, rows);
  return ExitCode.ok;
}

interface WhatIfFlags {
  readonly plan?: string;
  readonly draft?: string;
  readonly tariff?: string;
  readonly document?: string;
  readonly from?: string;
  readonly to?: string;
  readonly tenant?: string;
}

async function whatIf(db: Kysely<Database>, flags: WhatIfFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  if ((flags.plan === undefined) !== (flags.draft === undefined))
    return usage('--plan and --draft go together');
  if ((flags.tariff === undefined) !== (flags.document === undefined))
    return usage('--tariff and --document go together');
  if (flags.plan === undefined && flags.tariff === undefined)
    return usage('name a draft: --plan with --draft, or --tariff with --document');
  const body: WhatIfBody = {
    ...(flags.from === undefined ? {} : { from: flags.from }),
    ...(flags.to === undefined ? {} : { to: flags.to }),
    ...(flags.plan === undefined
      ? {}
      : { plans: [{ planId: flags.plan, draft: JSON.parse(await readFile(flags.draft!, 'utf8')) }] }),
    ...(flags.tariff === undefined
      ? {}
      : {
          tariffs: [
            { tariffId: flags.tariff, document: JSON.parse(await readFile(flags.document!, 'utf8')) },
          ],
        }),
  };
  const result = await simulateWhatIf(db, tenant.id, body, new Date());
  if (!result.ok) {
    console.error(result.problem.detail);
    for (const error of result.problem.errors ?? []) console.error(`  ${error.field}: ${error.message}`);
    return ExitCode.refused;
  }
  const w = result.whatIf;
  console.log(`what-if from ${w.from} to ${w.to}`);
  const figures = (label: string, r: (typeof w.totals)[number]) => [
    label,
    r.currency,
    String(r.subscriptions),
    r.currentRevenue,
    r.proposedRevenue,
    r.change,
    r.changePercent === null ? '-' : `${r.changePercent} %`,
  ];
  const header = ['', 'currency', 'lines', 'current', 'proposed', 'change', 'change %'];
  printTable(header, [
    ...w.totals.map((t) => figures('total', t)),
    ...w.byPlan.map((p) => figures(`plan ${p.code}`, p)),
    ...w.bySegment.map((s) => figures(`segment ${s.segment}`, s)),
  ]);
  return ExitCode.ok;
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
