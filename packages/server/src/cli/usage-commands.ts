import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import type { Database } from '../db/database-schema.js';
import { FraudMonitor } from '../fraud/fraud-monitor.js';
import { ingestUsageFile } from '../mediation/ingest-usage-file.js';
import { usageFileView } from '../mediation/mediation-views.js';
import { listFileRuns } from '../mediation/rated-usage-store.js';
import { reprocessSuspendedRecords } from '../mediation/reprocess-suspended-records.js';
import { rerateReportView, rerateUsage } from '../mediation/rerate-usage.js';
import { saveUsageSource } from '../mediation/save-usage-source.js';
import { listSuspendedRecords, suspendedRecordOf } from '../mediation/suspense-store.js';
import { fileRunOf } from '../mediation/usage-file-store.js';
import { findUsageSource, listUsageSources } from '../mediation/usage-source-store.js';
import { ThresholdEvaluator } from '../notifications/thresholds/threshold-evaluator.js';
import { ExitCode } from './exit-codes.js';
import { ingestProgress } from './ingest-progress.js';
import { findCliAccount, findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;

interface TenantFlag {
  readonly tenant?: string;
}

interface IngestFlags extends TenantFlag {
  readonly source: string;
  readonly batchSize: string;
  readonly progressEvery: string;
  readonly json?: boolean;
}

/** `tollgate ingest`, `tollgate source`, `tollgate suspense` and `tollgate rerate`. */
export function registerUsageCommands(program: Command): void {
  program
    .command('ingest')
    .description('load usage files (CDRs) of a source: rate, store, suspend what cannot be rated')
    .argument('<files...>', 'CSV, Asterisk or FreeSWITCH Master.csv, or JSON Lines files; .gz accepted')
    .requiredOption('--source <name>', 'the usage source the files come from (see `tollgate source set`)')
    .option('--batch-size <records>', 'records per transaction', '5000')
    .option('--progress-every <seconds>', 'without a terminal: a progress line this often', '5')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print each file summary as one JSON line')
    .action((files: string[], flags: IngestFlags) => withDatabase((db) => ingest(db, files, flags)));

  program
    .command('usage-files')
    .description('list file runs with their summaries, newest first')
    .option('--source <name>', 'only this source')
    .option('--limit <n>', 'at most this many', '20')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line')
    .action((flags: TenantFlag & { source?: string; limit: string; json?: boolean }) =>
      withDatabase((db) => listFiles(db, flags)),
    );

  const source = program
    .command('source')
    .description('usage sources: where usage comes from and how it reads');
  source
    .command('set')
    .description('create a usage source or replace its settings')
    .argument('<name>', 'lower-case name, e.g. sbc-fra1')
    .option('--format <format>', 'csv, asterisk, freeswitch or jsonl (a profile file may say more)')
    .option('--profile <file>', 'the source profile as JSON or YAML')
    .option('--time-zone <zone>', 'IANA zone of times written without an offset')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((name: string, flags: TenantFlag & { format?: string; profile?: string; timeZone?: string }) =>
      withDatabase((db) => setSource(db, name, flags)),
    );
  source
    .command('list')
    .description('list usage sources')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: TenantFlag) => withDatabase((db) => listSources(db, flags)));

  const suspense = program.command('suspense').description('records that could not be rated');
  suspense
    .command('list')
    .description('list suspended records, oldest first')
    .option('--status <status>', 'open, resolved or discarded', 'open')
    .option('--source <name>', 'only this source')
    .option('--reason <code>', 'only this reason, e.g. unknown_subscriber')
    .option('--limit <n>', 'at most this many', '50')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: TenantFlag & { status: string; source?: string; reason?: string; limit: string }) =>
      withDatabase((db) => listSuspense(db, flags)),
    );
  suspense
    .command('reprocess')
    .description('run open suspended records again, with the lines and tariffs as they are now')
    .option('--source <name>', 'only this source')
    .option('--reason <code>', 'only this reason')
    .option('--id <id...>', 'only these records')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action((flags: TenantFlag & { source?: string; reason?: string; id?: string[] }) =>
      withDatabase((db) => reprocess(db, flags)),
    );

  program
    .command('rerate')
    .description('rerate usage after a tariff or plan correction: reverse changed charges, charge again')
    .requiredOption('--from <instant>', 'usage that started at or after this (ISO 8601)')
    .requiredOption('--to <instant>', 'and before this')
    .option('--account <id or number>', 'only this account')
    .option('--subscription <id>', 'only this line')
    .option('--source <name>', 'only this source')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the report as JSON')
    .action(
      (
        flags: TenantFlag & {
          from: string;
          to: string;
          account?: string;
          subscription?: string;
          source?: string;
          json?: boolean;
        },
      ) => withDatabase((db) => rerate(db, flags)),
    );
}

async function tenantOf(
  db: Kysely<Database>,
  flags: TenantFlag,
): Promise<{ id: string; slug: string } | number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant !== 'string') return tenant;
  console.error(tenant);
  return ExitCode.usage;
}

async function sourceIdOf(
  db: Kysely<Database>,
  tenantId: string,
  name: string | undefined,
): Promise<string | undefined | number> {
  if (name === undefined) return undefined;
  const found = await findUsageSource(db, tenantId, name);
  if (found !== undefined) return found.id;
  console.error(`no usage source "${name}" (create it with \`tollgate source set ${name} --format ...\`)`);
  return ExitCode.usage;
}

async function ingest(db: Kysely<Database>, files: readonly string[], flags: IngestFlags): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const batchSize = Number(flags.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    console.error('--batch-size must be a whole number from 1 to 50000');
    return ExitCode.usage;
  }
  if (!(Number(flags.progressEvery) >= 0)) {
    console.error('--progress-every must be a number of seconds');
    return ExitCode.usage;
  }
  const source = await findUsageSource(db, tenant.id, flags.source);
  if (source === undefined) {
    console.error(
      `no usage source "${flags.source}" (create it with \`tollgate source set ${flags.source} --format ...\`)`,
    );
    return ExitCode.usage;
  }
  let exitCode: number = ExitCode.ok;
  const thresholds = new ThresholdEvaluator(
    db,
    () => new Date(),
    (error) => console.error(`threshold evaluation failed: ${(error as Error).message}`),
  );
  const fraud = new FraudMonitor(
    db,
    () => new Date(),
    (error) => console.error(`fraud evaluation failed: ${(error as Error).message}`),
  );
  for (const path of files) {
    const startedMs = performance.now();
    let progress: ReturnType<typeof ingestProgress> | undefined;
    const outcome = await ingestUsageFile(db, {
      tenantId: tenant.id,
      source,
      path,
      batchSize,
      afterCommit: async (touched) => {
        await thresholds.afterUsage(touched);
        await fraud.afterUsage(touched);
      },
      onProgress: (p) => {
        progress ??= ingestProgress(path, p.sizeBytes, Number(flags.progressEvery) * 1000);
        progress.update(p);
      },
    });
    progress?.stop();
    if (!outcome.ok && outcome.code === 'file_busy') {
      console.error(`${path}: ${outcome.message}`);
      exitCode = ExitCode.failure;
      continue;
    }
    const view = usageFileView(outcome.run);
    const seconds = (performance.now() - startedMs) / 1000;
    if (flags.json === true) console.log(JSON.stringify(view));
    else {
      const rated =
        Object.entries(view.rated)
          .map(([currency, amount]) => `${amount} ${currency}`)
          .join(', ') || 'nothing';
      const resumed = outcome.ok && outcome.resumed ? ' (resumed)' : '';
      console.log(
        `${path}${resumed}: ${view.read} read, ${view.loaded} loaded, ${view.duplicate} duplicate, ${view.suspended} suspended, ${view.skipped} skipped; rated ${rated} in ${seconds.toFixed(1)} s (file run ${view.id})`,
      );
    }
    if (!outcome.ok) {
      console.error(`${path}: ${outcome.message}`);
      exitCode = ExitCode.failure;
    } else if (outcome.run.counts.suspended > 0n && exitCode === ExitCode.ok)
      exitCode = ExitCode.someNotRated;
  }
  return exitCode;
}

async function listFiles(
  db: Kysely<Database>,
  flags: TenantFlag & { source?: string; limit: string; json?: boolean },
): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const sourceId = await sourceIdOf(db, tenant.id, flags.source);
  if (typeof sourceId === 'number') return sourceId;
  const limit = Math.min(Math.max(Number(flags.limit) || 20, 1), 1_000);
  const rows = await listFileRuns(db, tenant.id, { sourceId }, null, 'desc', limit);
  for (const row of rows) {
    const view = usageFileView(fileRunOf(row));
    if (flags.json === true) console.log(JSON.stringify(view));
    else {
      const rated =
        Object.entries(view.rated)
          .map(([currency, amount]) => `${amount} ${currency}`)
          .join(', ') || 'nothing';
      console.log(
        `${view.startedAt}  ${view.status.padEnd(7)}  ${view.fileName}: ${view.read} read, ${view.loaded} loaded, ${view.duplicate} duplicate, ${view.suspended} suspended, ${view.skipped} skipped; rated ${rated}${view.error === null ? '' : `; ${view.error}`}`,
      );
    }
  }
  return ExitCode.ok;
}

async function setSource(
  db: Kysely<Database>,
  name: string,
  flags: TenantFlag & { format?: string; profile?: string; timeZone?: string },
): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const fromFile =
    flags.profile === undefined ? {} : (parseYaml(await readFile(flags.profile, 'utf8')) as object);
  const profile = {
    ...fromFile,
    ...(flags.format === undefined ? {} : { format: flags.format }),
    ...(flags.timeZone === undefined ? {} : { timeZone: flags.timeZone }),
  };
  const result = await saveUsageSource(db, tenant.id, CLI_ACTOR, { name, profile });
  if (!result.ok) {
    console.error(result.message);
    return ExitCode.usage;
  }
  console.log(
    `${result.created ? 'created' : 'updated'} usage source ${name}: ${JSON.stringify(result.source.profile)}`,
  );
  return ExitCode.ok;
}

async function listSources(db: Kysely<Database>, flags: TenantFlag): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  for (const source of await listUsageSources(db, tenant.id))
    console.log(`${source.name}\t${source.profile.format}\t${JSON.stringify(source.profile)}`);
  return ExitCode.ok;
}

async function listSuspense(
  db: Kysely<Database>,
  flags: TenantFlag & { status: string; source?: string; reason?: string; limit: string },
): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const sourceId = await sourceIdOf(db, tenant.id, flags.source);
  if (typeof sourceId === 'number') return sourceId;
  if (!['open', 'resolved', 'discarded'].includes(flags.status)) {
    console.error('--status must be open, resolved or discarded');
    return ExitCode.usage;
  }
  const records = await listSuspendedRecords(
    db,
    tenant.id,
    { status: flags.status as 'open', sourceId, reason: flags.reason },
    { limit: Math.min(Math.max(Number(flags.limit) || 50, 1), 10_000), after: null, order: 'asc' },
  );
  for (const r of records.map(suspendedRecordOf))
    console.log(
      `${r.id}\t${r.reason}\t${r.field ?? '-'}\tline ${r.lineNumber ?? '-'}\t${r.message}\t${r.raw.slice(0, 200)}`,
    );
  return ExitCode.ok;
}

async function reprocess(
  db: Kysely<Database>,
  flags: TenantFlag & { source?: string; reason?: string; id?: string[] },
): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const sourceId = await sourceIdOf(db, tenant.id, flags.source);
  if (typeof sourceId === 'number') return sourceId;
  const summary = await reprocessSuspendedRecords(db, tenant.id, CLI_ACTOR, {
    sourceId,
    reason: flags.reason,
    ids: flags.id,
  });
  console.log(
    `reprocessed ${summary.examined}: ${summary.loaded} loaded, ${summary.duplicate} duplicate, ${summary.suspended} still suspended`,
  );
  return summary.suspended > 0 ? ExitCode.someNotRated : ExitCode.ok;
}

async function rerate(
  db: Kysely<Database>,
  flags: TenantFlag & {
    from: string;
    to: string;
    account?: string;
    subscription?: string;
    source?: string;
    json?: boolean;
  },
): Promise<number> {
  const tenant = await tenantOf(db, flags);
  if (typeof tenant === 'number') return tenant;
  const from = new Date(flags.from);
  const to = new Date(flags.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    console.error('--from and --to must be ISO 8601 instants, e.g. 2026-03-01T00:00:00Z');
    return ExitCode.usage;
  }
  const sourceId = await sourceIdOf(db, tenant.id, flags.source);
  if (typeof sourceId === 'number') return sourceId;
  let accountId: string | undefined;
  if (flags.account !== undefined) {
    const account = await findCliAccount(db, tenant.id, flags.account);
    if (account === undefined) {
      console.error(`no account "${flags.account}" in tenant ${tenant.slug}`);
      return ExitCode.usage;
    }
    accountId = account.id;
  }
  const result = await rerateUsage(db, tenant.id, CLI_ACTOR, {
    from,
    to,
    accountId,
    subscriptionId: flags.subscription,
    sourceId,
  });
  if (!result.ok) {
    console.error(result.message);
    return ExitCode.usage;
  }
  const view = rerateReportView(result.report);
  if (flags.json === true) console.log(JSON.stringify(view));
  else {
    console.log(
      `rerate ${view.id}: ${view.examined} examined, ${view.changed} changed, ${view.failed} could not be priced, ${view.skippedOnline} charged online (left as they were)`,
    );
    for (const d of view.differences)
      console.log(
        `  account ${d.accountId}: ${d.records} records, ${d.before} -> ${d.after} ${d.currency} (${d.difference})`,
      );
    for (const f of view.failures) console.log(`  not rerated: rated usage ${f.ratedUsageId}: ${f.message}`);
  }
  return view.failed > 0 ? ExitCode.someNotRated : ExitCode.ok;
}
