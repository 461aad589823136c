import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { decideFraudCase } from '../fraud/decide-fraud-case.js';
import { type FraudCase, listFraudCases } from '../fraud/fraud-case-store.js';
import { loadFraudRules, toFraudRule } from '../fraud/fraud-rule-store.js';
import type { FraudCaseStatus } from '../fraud/fraud-rules.js';
import { ExitCode } from './exit-codes.js';
import { findCliTenant, withDatabase } from './with-database.js';

const CLI_ACTOR = { type: 'system', id: 'cli' } as const;
const STATUSES: readonly FraudCaseStatus[] = ['open', 'confirmed', 'dismissed'];
const MAX_LIMIT = 1000;

interface TenantFlags {
  readonly tenant?: string;
  readonly json?: boolean;
}

/** `tollgate fraud ...`: the rules, the cases, and decisions on them (docs/fraud.md). */
export function registerFraudCommands(program: Command): void {
  const fraud = program.command('fraud').description('fraud and anomaly alerts: rules, cases, decisions');
  fraud
    .command('rules')
    .description('the fraud rules of the tenant, with their parameters (defaults where none was set)')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line')
    .action((flags: TenantFlags) => withDatabase((db) => rules(db, flags)));
  fraud
    .command('cases')
    .description('fraud cases, newest first')
    .option('--status <status>', STATUSES.join(', '))
    .option('--limit <n>', 'at most this many', '50')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'one JSON object per line')
    .action((flags: TenantFlags & { status?: string; limit: string }) =>
      withDatabase((db) => cases(db, flags)),
    );
  fraud
    .command('decide')
    .description('confirm or dismiss an open case (dismiss lifts its bar; confirm --bar bars the line)')
    .argument('<case-id>', 'the case id')
    .argument('<decision>', 'confirm or dismiss')
    .requiredOption('--reason <text>', 'why, kept with the decision and in the audit log')
    .option('--bar', 'with confirm: bar the line from chargeable usage')
    .option('--tenant <slug>', 'tenant slug (default: the only operator in the database)')
    .option('--json', 'print the case as JSON')
    .action((caseId: string, decision: string, flags: TenantFlags & { reason: string; bar?: boolean }) =>
      withDatabase((db) => decide(db, caseId, decision, flags)),
    );
}

async function rules(db: Kysely<Database>, flags: TenantFlags): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  for (const stored of (await loadFraudRules(db, tenant.id)).values()) {
    const rule = toFraudRule(stored);
    if (flags.json === true) console.log(JSON.stringify(rule));
    else
      console.log(
        `${rule.kind.padEnd(22)} ${rule.enabled ? 'on ' : 'off'}  ${rule.action.padEnd(5)}  ` +
          `${rule.notify ? 'notify' : 'silent'}  ${JSON.stringify(rule.params)}` +
          (rule.updatedAt === null ? '  (default)' : `  (set ${rule.updatedAt})`),
      );
  }
  return ExitCode.ok;
}

async function cases(
  db: Kysely<Database>,
  flags: TenantFlags & { status?: string; limit: string },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  const status = STATUSES.find((s) => s === flags.status);
  if (flags.status !== undefined && status === undefined)
    return usage(`--status must be one of ${STATUSES.join(', ')}, not "${flags.status}"`);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return usage(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  for (const found of await listFraudCases(db, tenant.id, { status }, null, limit)) {
    const { createdAt: _createdAt, ...shown } = found;
    if (flags.json === true) console.log(JSON.stringify(shown));
    else console.log(describe(shown));
  }
  return ExitCode.ok;
}

async function decide(
  db: Kysely<Database>,
  caseId: string,
  decision: string,
  flags: TenantFlags & { reason: string; bar?: boolean },
): Promise<number> {
  const tenant = await findCliTenant(db, flags.tenant);
  if (typeof tenant === 'string') return usage(tenant);
  if (decision !== 'confirm' && decision !== 'dismiss')
    return usage(`the decision is confirm or dismiss, not "${decision}"`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId))
    return usage(`"${caseId}" is not a case id`);
  const result = await decideFraudCase(
    db,
    tenant.id,
    CLI_ACTOR,
    caseId,
    { decision, reason: flags.reason, bar: flags.bar === true },
    new Date(),
  );
  if (!result.ok) {
    console.error(result.message);
    return result.code === 'invalid' ? ExitCode.usage : ExitCode.refused;
  }
  if (flags.json === true) console.log(JSON.stringify(result.fraudCase));
  else console.log(describe(result.fraudCase));
  return ExitCode.ok;
}

function describe(shown: FraudCase): string {
  return (
    `${shown.id}  ${shown.openedAt}  ${shown.status}${shown.barred ? ' (barred)' : ''}  ${shown.kind}  ` +
    `${shown.customerName}  ${shown.identifier ?? shown.subscriptionId}  x${shown.occurrences}  ${shown.summary}` +
    (shown.reason === null ? '' : `  reason: ${shown.reason}`)
  );
}

function usage(message: string): number {
  console.error(message);
  return ExitCode.usage;
}
