import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import type { CatalogIssue, TariffSource } from '../catalog/prepare-tariff-document.js';
import { pushTariff } from '../catalog/push-tariff.js';
import { loadConfig } from '../config/load-config.js';
import type { Database } from '../db/database-schema.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { CGRATES_TARIFF_FILES } from '../tariffs/import-cgrates-tariff.js';
import { readTariffDocument } from '../tariffs/load-tariff.js';
import { ExitCode } from './exit-codes.js';
import { openConfiguredDatabase } from './open-database.js';
import { reportInvalid } from './tariff-commands.js';

interface PushFlags {
  readonly tariffDir: string;
  readonly tariffFormat: 'native' | 'cgrates';
  readonly code: string;
  readonly name?: string;
  readonly activatesAt?: string;
  readonly tenant?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Catalog commands that write to the database: `tollgate tariff push`. */
export function registerCatalogCommands(program: Command): void {
  const tariff =
    program.commands.find((command) => command.name() === 'tariff') ??
    program.command('tariff').description('check and convert tariffs');
  tariff
    .command('push')
    .description(
      'store a tariff as the next version of the tariff with --code (or its first), in DATABASE_URL ' +
        'or the embedded database in TOLLGATE_DATA_DIR',
    )
    .requiredOption('--tariff-dir <path>', 'tariff folder (CGRateS CSV files, or native tariff.yaml) or file')
    .addOption(
      new Option('--tariff-format <format>', 'tariff format')
        .choices(['native', 'cgrates'])
        .default('native'),
    )
    .requiredOption('--code <code>', 'the tariff code, e.g. retail-2026')
    .option('--name <name>', 'name of a tariff created by this push (default: the code)')
    .option(
      '--activates-at <instant>',
      'when the version starts to apply, ISO 8601 with offset (default: now)',
    )
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .action(async (flags: PushFlags) => {
      process.exitCode = await push(flags);
    });
}

async function push(flags: PushFlags): Promise<number> {
  if (flags.activatesAt !== undefined && !isInstant(flags.activatesAt)) {
    console.error(`--activates-at must be an ISO 8601 instant with an offset, not "${flags.activatesAt}"`);
    return ExitCode.usage;
  }
  const source = await readSource(flags);
  if (source === null) return ExitCode.invalidTariff;
  const loaded = await loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(`invalid configuration: ${problem}`);
    return ExitCode.usage;
  }
  const database = await openConfiguredDatabase(loaded.config);
  try {
    const migrated = await migrateDatabase(database.db);
    if (migrated.error !== undefined) throw migrated.error;
    const tenant = await findTenant(database.db, flags.tenant);
    if (typeof tenant === 'string') {
      console.error(tenant);
      return ExitCode.usage;
    }
    const now = new Date();
    const result = await pushTariff(
      database.db,
      tenant.id,
      { type: 'system', id: 'cli' },
      {
        code: flags.code,
        name: flags.name,
        activatesAt: flags.activatesAt === undefined ? undefined : new Date(flags.activatesAt),
        source,
      },
      now,
    );
    if (!result.ok) {
      printIssues('invalid tariff', result.issues);
      return ExitCode.invalidTariff;
    }
    for (const warning of result.warnings) console.error(`warning: ${warning.field}: ${warning.message}`);
    const { version } = result;
    console.log(
      `${result.created ? 'created' : 'updated'} tariff ${flags.code} (${result.tariffId}) for tenant ${tenant.slug}: ` +
        `version ${version.version} activates at ${version.activatesAt} (sha256 ${version.documentSha256})`,
    );
    return ExitCode.ok;
  } finally {
    await database.close();
  }
}

/** The tariff as the use case takes it; null (after printing why) when it cannot be read. */
async function readSource(flags: PushFlags): Promise<TariffSource | null> {
  if (flags.tariffFormat === 'native') {
    const read = await readTariffDocument({
      path: flags.tariffDir,
      format: 'native',
      currency: '',
      timeZone: '',
    });
    if (!read.ok) {
      reportInvalid(read.errors);
      return null;
    }
    return { format: 'native', document: read.document };
  }
  const files = new Map<string, string>();
  for (const { name } of CGRATES_TARIFF_FILES) {
    try {
      files.set(name, await readFile(join(flags.tariffDir, name), 'utf8'));
    } catch (error) {
      // A missing file is the importer's to report, with every other problem.
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    }
  }
  return { format: 'cgrates', files };
}

async function findTenant(
  db: Kysely<Database>,
  slug: string | undefined,
): Promise<{ id: string; slug: string } | string> {
  let query = db.selectFrom('tenants').select(['id', 'slug']);
  query = slug === undefined ? query.where('parent_tenant_id', 'is', null) : query.where('slug', '=', slug);
  const tenants = await query.limit(2).execute();
  const [tenant] = tenants;
  if (tenant !== undefined && tenants.length === 1) return tenant;
  if (slug !== undefined) return `no tenant with slug "${slug}"`;
  return tenant === undefined
    ? 'the database has no tenant yet (run `tollgate serve` once to seed one)'
    : 'the database has several operators; name one with --tenant <slug>';
}

function isInstant(text: string): boolean {
  return ISO_INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}

function printIssues(title: string, issues: readonly CatalogIssue[]): void {
  console.error(`${title}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
  for (const issue of issues) console.error(`  ${issue.field}: ${issue.message}`);
}
