import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { loadFraudRules } from './fraud-rule-store.js';
import type { FraudRuleKind, FraudRuleSettings } from './fraud-rules.js';
import {
  type FraudFinding,
  type FraudLine,
  type FraudScope,
  observePremiumDestinations,
  observeShortCallBursts,
  observeSimultaneousSessions,
  observeSpendSpikes,
  observeUnexpectedCountries,
} from './observe-fraud-patterns.js';
import { type RecordedFinding, recordFraudFindings } from './record-fraud-findings.js';

/** An account whose lines just had usage (the shape the charging engine and mediation tell). */
export interface FraudTouch {
  readonly tenantId: string;
  readonly accountId: string;
  /** The lines with usage; none named: every line of the account. */
  readonly subscriptionIds?: readonly string[];
}

/** At most this many accounts per evaluation: a bound on the statements' parameters. */
export const MAX_ACCOUNTS_PER_FRAUD_EVALUATION = 5_000;

/**
 * Evaluates the enabled fraud rules on the lines a charging or mediation batch touched
 * (docs/fraud.md): per tenant, the rules in one statement (nothing more when none is enabled),
 * the lines and the latest decisions on them in two, one statement per enabled rule for every
 * line at once, then one transaction that records the findings. Returns what was recorded.
 */
export async function evaluateFraudRules(
  db: Kysely<Database>,
  touches: readonly FraudTouch[],
  now: Date,
): Promise<RecordedFinding[]> {
  if (touches.length > MAX_ACCOUNTS_PER_FRAUD_EVALUATION)
    throw new Error(
      `at most ${MAX_ACCOUNTS_PER_FRAUD_EVALUATION} accounts per evaluation, got ${touches.length}`,
    );
  const byTenant = new Map<string, FraudTouch[]>();
  for (const touch of touches) {
    const list = byTenant.get(touch.tenantId) ?? [];
    list.push(touch);
    byTenant.set(touch.tenantId, list);
  }
  const recorded: RecordedFinding[] = [];
  for (const [tenantId, list] of byTenant) {
    const stored = await loadFraudRules(db, tenantId);
    const rules = new Map<FraudRuleKind, FraudRuleSettings>();
    for (const [kind, rule] of stored) if (rule.settings.enabled) rules.set(kind, rule.settings);
    if (rules.size === 0) continue;
    const scope = await loadScope(db, tenantId, list, now);
    if (scope.lines.length === 0) continue;
    const findings = (await Promise.all([...rules.values()].map((rule) => observe(db, scope, rule)))).flat();
    if (findings.length === 0) continue;
    recorded.push(
      ...(await db.transaction().execute((trx) => recordFraudFindings(trx, tenantId, findings, rules, now))),
    );
  }
  return recorded;
}

function observe(db: Kysely<Database>, scope: FraudScope, rule: FraudRuleSettings): Promise<FraudFinding[]> {
  switch (rule.kind) {
    case 'premium_destination':
      return observePremiumDestinations(
        db,
        scope,
        rule.params as FraudRuleSettings<'premium_destination'>['params'],
      );
    case 'short_call_burst':
      return observeShortCallBursts(
        db,
        scope,
        rule.params as FraudRuleSettings<'short_call_burst'>['params'],
      );
    case 'simultaneous_sessions':
      return observeSimultaneousSessions(
        db,
        scope,
        rule.params as FraudRuleSettings<'simultaneous_sessions'>['params'],
      );
    case 'spend_spike':
      return observeSpendSpikes(db, scope, rule.params as FraudRuleSettings<'spend_spike'>['params']);
    case 'unexpected_country':
      return observeUnexpectedCountries(
        db,
        scope,
        rule.params as FraudRuleSettings<'unexpected_country'>['params'],
      );
  }
}

/** The touched lines (not terminated) with their customer and currency, and the latest decisions on them. */
async function loadScope(
  db: Kysely<Database>,
  tenantId: string,
  touches: readonly FraudTouch[],
  now: Date,
): Promise<FraudScope> {
  const named = [...new Set(touches.flatMap((t) => t.subscriptionIds ?? []))];
  const wholeAccounts = [
    ...new Set(touches.filter((t) => (t.subscriptionIds ?? []).length === 0).map((t) => t.accountId)),
  ];
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.account_id'),
    )
    .select(['s.id', 's.account_id', 'a.customer_id', 'a.currency'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.status', '<>', 'terminated')
    .where((eb) =>
      eb.or([
        ...(named.length === 0 ? [] : [eb('s.id', 'in', named)]),
        ...(wholeAccounts.length === 0 ? [] : [eb('s.account_id', 'in', wholeAccounts)]),
      ]),
    )
    .execute();
  const lines: FraudLine[] = rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    customerId: r.customer_id,
    currency: r.currency.trim(),
  }));
  const decisions =
    lines.length === 0
      ? []
      : await db
          .selectFrom('fraud_cases')
          .select(['subscription_id', 'kind', (eb) => eb.fn.max('decided_at').as('decided_at')])
          .where('tenant_id', '=', tenantId)
          .where(
            'subscription_id',
            'in',
            lines.map((l) => l.id),
          )
          .where('decided_at', 'is not', null)
          .groupBy(['subscription_id', 'kind'])
          .execute();
  const tenant = await db
    .selectFrom('tenants')
    .select('country_code')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const decidedAt = new Map<string, Date>();
  for (const row of decisions)
    if (row.decided_at !== null)
      decidedAt.set(`${row.subscription_id}:${row.kind}`, new Date(row.decided_at));
  return { tenantId, now, lines, homeCountry: tenant.country_code, decidedAt };
}
