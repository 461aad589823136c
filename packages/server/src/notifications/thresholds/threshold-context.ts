import {
  type CycleRule,
  cycleContaining,
  isoDateOfDay,
  resolveThresholdLevels,
  startOfLocalDayMs,
  type ThresholdKind,
  type ThresholdRule,
  type ThresholdTarget,
  UNUSUAL_USAGE_HISTORY_DAYS,
  type ZoneClock,
  zoneClockFor,
} from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { AccountKind } from '../../accounts/account-tables.js';
import type { Database } from '../../db/database-schema.js';

/** An account the evaluation looks at, with its current bill cycle in its own time zone. */
export interface ThresholdAccount {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: string;
  readonly clock: ZoneClock;
  readonly creditLimitMicros: bigint | null;
  /** The bill cycle holding `now`: its first instant, and its first day as the cycle key. */
  readonly cycleStart: Date;
  readonly cycleKey: string;
  /** The cycle before it: accrued usage not yet invoiced may reach back that far. */
  readonly previousCycleStart: Date;
  /** The local day holding `now`: its first instant and ISO date. */
  readonly dayStart: Date;
  readonly dayKey: string;
  /** The first instant of the days an unusual day is compared with (30 local days back). */
  readonly historyStart: Date;
}

export interface ThresholdLine {
  readonly id: string;
  readonly accountId: string;
  readonly planId: string | null;
}

/** Everything the observations of one tenant's batch share: accounts, lines and rules. */
export interface ThresholdContext {
  readonly tenantId: string;
  readonly now: Date;
  readonly accounts: ReadonlyMap<string, ThresholdAccount>;
  readonly lines: ReadonlyMap<string, ThresholdLine>;
  readonly rules: readonly ThresholdRule[];
}

/** The levels of a kind for an account as a whole (subscriptionId null) or for one of its lines. */
export function levelsFor(
  context: ThresholdContext,
  kind: ThresholdKind,
  accountId: string,
  subscriptionId: string | null,
): readonly string[] {
  const line = subscriptionId === null ? undefined : context.lines.get(subscriptionId);
  const target: ThresholdTarget = { accountId, subscriptionId, planId: line?.planId ?? null };
  return resolveThresholdLevels(context.rules, target, kind);
}

/**
 * Reads the accounts and their lines (not terminated), and every rule that may apply to them, in
 * three statements whatever the number of accounts.
 */
export async function loadThresholdContext(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<ThresholdContext> {
  const accountRows = await db
    .selectFrom('accounts')
    .select([
      'id',
      'kind',
      'currency',
      'time_zone',
      'credit_limit_micros',
      'bill_cycle_day',
      'bill_cycle_unit',
      'bill_cycle_month',
    ])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', accountIds)
    .execute();
  const accounts = new Map<string, ThresholdAccount>();
  for (const row of accountRows) {
    const rule: CycleRule = {
      unit: row.bill_cycle_unit,
      anchorDay: row.bill_cycle_day,
      anchorMonth: row.bill_cycle_month,
    };
    const clock = zoneClockFor(row.time_zone);
    const today = clock.localTime(now.getTime()).dayNumber;
    const cycle = cycleContaining(rule, today);
    const previous = cycleContaining(rule, cycle.fromDay - 1);
    accounts.set(row.id, {
      id: row.id,
      kind: row.kind,
      currency: row.currency,
      clock,
      creditLimitMicros: row.credit_limit_micros === null ? null : BigInt(row.credit_limit_micros),
      cycleStart: new Date(startOfLocalDayMs(clock, cycle.fromDay)),
      cycleKey: isoDateOfDay(cycle.fromDay),
      previousCycleStart: new Date(startOfLocalDayMs(clock, previous.fromDay)),
      dayStart: new Date(startOfLocalDayMs(clock, today)),
      dayKey: isoDateOfDay(today),
      historyStart: new Date(startOfLocalDayMs(clock, today - UNUSUAL_USAGE_HISTORY_DAYS)),
    });
  }
  const lineRows =
    accounts.size === 0
      ? []
      : await db
          .selectFrom('subscriptions')
          .select(['id', 'account_id', 'plan_id'])
          .where('tenant_id', '=', tenantId)
          .where('account_id', 'in', [...accounts.keys()])
          .where('status', '<>', 'terminated')
          .execute();
  const lines = new Map(
    lineRows.map((r) => [r.id, { id: r.id, accountId: r.account_id, planId: r.plan_id }] as const),
  );
  const scopeIds = [
    ...accounts.keys(),
    ...lines.keys(),
    ...new Set(lineRows.map((r) => r.plan_id).filter((p): p is string => p !== null)),
  ];
  const ruleRows = await db
    .selectFrom('notification_rules')
    .select(['scope', 'scope_id', 'kind', 'levels', 'enabled'])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([eb('scope', '=', 'tenant'), ...(scopeIds.length === 0 ? [] : [eb('scope_id', 'in', scopeIds)])]),
    )
    .execute();
  const rules: ThresholdRule[] = ruleRows.map((r) => ({
    scope: r.scope,
    scopeId: r.scope_id,
    kind: r.kind,
    levels: typeof r.levels === 'string' ? (JSON.parse(r.levels) as string[]) : (r.levels as string[]),
    enabled: r.enabled,
  }));
  return { tenantId, now, accounts, lines, rules };
}
