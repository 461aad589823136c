import {
  capPeriodStartMs,
  crossedLevels,
  formatScaled,
  isoDateOfDay,
  percentOf,
  type Ratio,
  ratio,
  type ThresholdKind,
  unusualUsageFactor,
} from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { formatMoneyAmount } from '../../accounts/money-amount.js';
import { bareArrayLiteral, textArrayLiteral } from '../../db/array-literal.js';
import type { Database } from '../../db/database-schema.js';
import { levelsFor, type ThresholdAccount, type ThresholdContext } from './threshold-context.js';
import type { FiringCandidate } from './threshold-firing.js';

/** What the evaluation of one batch looks at: its accounts, and the lines it charged. */
export interface ObservationScope {
  readonly context: ThresholdContext;
  /** Lines with new usage; line-level kinds (roaming, unusual usage, caps) look at these. */
  readonly lineIds: readonly string[];
  /** Lines whose spending cap refused a request or was used up (told by the charging engine). */
  readonly capsReached: ReadonlySet<string>;
}

type Observer = (db: Kysely<Database>, scope: ObservationScope) => Promise<FiringCandidate[]>;

/**
 * One statement per kind for the whole batch of accounts, and none for a kind no account or
 * line of the batch has levels for (cycle_spend, balance_below, roaming and unusual usage have no
 * defaults, so most tenants pay only for allowances and credit limits).
 */
export const OBSERVERS: readonly Observer[] = [
  observeAllowances,
  observeCycleSpend,
  observeBalances,
  observeRoaming,
  observeUnusualUsage,
  observeSpendingCaps,
];

function accountsWithLevels(scope: ObservationScope, kind: ThresholdKind): ThresholdAccount[] {
  const { context } = scope;
  return [...context.accounts.values()].filter((a) => levelsFor(context, kind, a.id, null).length > 0);
}

function linesWithLevels(scope: ObservationScope, kind: ThresholdKind): string[] {
  const { context } = scope;
  return scope.lineIds.filter((id) => {
    const line = context.lines.get(id);
    return line !== undefined && levelsFor(context, kind, line.accountId, id).length > 0;
  });
}

function percentText(value: Ratio): string {
  return formatScaled((value.numerator * 100n) / value.denominator, 2);
}

function ratioText(value: Ratio): string {
  return formatScaled((value.numerator * 100n) / value.denominator, 2);
}

/**
 * allowance_used: per allowance bucket valid now, the share of what was granted to it (its
 * 'grant' ledger entries) that is used (granted less balance). The subject is the bucket and the
 * cycle key the first local day of its validity: a new cycle's grant is a new bucket.
 */
async function observeAllowances(db: Kysely<Database>, scope: ObservationScope): Promise<FiringCandidate[]> {
  const { context } = scope;
  const accountIds = [...context.accounts.keys()];
  if (accountIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    account_id: string;
    subscription_id: string | null;
    unit: string;
    service: string | null;
    label: string | null;
    valid_from: Date | string;
    balance: string;
    granted: string;
  }>`
    select b.id, b.account_id, b.subscription_id, b.unit, b.service, b.label, b.valid_from, b.balance::text,
      coalesce((select sum(e.amount) from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
        where e.bucket_id = b.id and t.kind = 'grant'), 0)::text as granted
    from balance_buckets b
    where b.tenant_id = ${context.tenantId}::uuid and b.account_id = any(${bareArrayLiteral(accountIds)}::uuid[])
      and b.kind = 'allowance' and b.valid_from <= ${context.now}
      and (b.valid_to is null or b.valid_to > ${context.now})`.execute(db);
  const found: FiringCandidate[] = [];
  for (const row of rows) {
    const account = context.accounts.get(row.account_id);
    if (account === undefined) continue;
    const levels = levelsFor(context, 'allowance_used', row.account_id, row.subscription_id);
    const granted = BigInt(row.granted);
    const used = granted - BigInt(row.balance);
    const share = percentOf(used > 0n ? used : 0n, granted);
    if (levels.length === 0 || share === null) continue;
    const validFrom = new Date(row.valid_from);
    const cycleKey = isoDateOfDay(account.clock.localTime(validFrom.getTime()).dayNumber);
    const allowance = row.label ?? `${row.service ?? 'any service'} (${row.unit})`;
    for (const level of crossedLevels(levels, null, share)) {
      found.push({
        accountId: row.account_id,
        subscriptionId: row.subscription_id,
        kind: 'allowance_used',
        subject: row.id,
        level,
        cycleKey,
        observed: { used: used.toString(), granted: granted.toString(), percent: percentText(share) },
        event: 'allowance_used',
        data: {
          allowance,
          percent: level,
          usedPercent: percentText(share),
          bucketId: row.id,
          unit: row.unit,
          used: used.toString(),
          granted: granted.toString(),
          cycleStart: cycleKey,
        },
        urgent: false,
        webhook: 'allowance.threshold',
      });
    }
  }
  return found;
}

/**
 * cycle_spend: the money usage cost the account in its current bill cycle: debits of usage
 * (online charges and recorded usage paid from balances, the 'usage' book of 'charge'
 * transactions) plus recorded usage accrued for a postpaid invoice.
 */
async function observeCycleSpend(db: Kysely<Database>, scope: ObservationScope): Promise<FiringCandidate[]> {
  const { context } = scope;
  const accounts = accountsWithLevels(scope, 'cycle_spend');
  if (accounts.length === 0) return [];
  const { rows } = await sql<{ account_id: string; debited: string; accrued: string }>`
    select p.account_id,
      coalesce((select sum(e.amount) from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
        where t.tenant_id = ${context.tenantId}::uuid and t.account_id = p.account_id and t.kind = 'charge'
          and t.created_at >= p.since and e.bucket_id is null and e.book = 'usage' and e.unit = p.currency), 0)::text
        as debited,
      coalesce((select sum(r.charged_micros - r.debited_micros) from rated_usage r
        where r.tenant_id = ${context.tenantId}::uuid and r.account_id = p.account_id and r.started_at >= p.since
          and r.settlement = 'accrued'), 0)::text as accrued
    from unnest(
      ${bareArrayLiteral(accounts.map((a) => a.id))}::uuid[],
      ${textArrayLiteral(accounts.map((a) => a.cycleStart.toISOString()))}::timestamptz[],
      ${textArrayLiteral(accounts.map((a) => a.currency))}::text[]
    ) as p(account_id, since, currency)`.execute(db);
  return rows.flatMap((row) => {
    const account = context.accounts.get(row.account_id)!;
    const spent = BigInt(row.debited) + BigInt(row.accrued);
    return crossedLevels(levelsFor(context, 'cycle_spend', account.id, null), null, ratio(spent)).map(
      (level): FiringCandidate => ({
        accountId: account.id,
        subscriptionId: null,
        kind: 'cycle_spend',
        subject: '',
        level,
        cycleKey: account.cycleKey,
        observed: { spentMicros: spent.toString() },
        event: 'cycle_spend',
        data: {
          amount: formatMoneyAmount(BigInt(level), account.currency),
          spent: formatMoneyAmount(spent, account.currency),
          currency: account.currency,
          cycleStart: account.cycleKey,
        },
        urgent: false,
        webhook: null,
      }),
    );
  });
}

/**
 * balance_below (prepaid and hybrid: the main balance at or below a level; the cycle key is the
 * last top-up, voucher or auto-recharge transaction, so each top-up re-arms it) and credit_used (postpaid and hybrid with a credit limit:
 * what the main balance owes plus recorded usage accrued and not yet invoiced, as a share of the
 * limit; the cycle key is the bill cycle). One statement for both.
 */
async function observeBalances(db: Kysely<Database>, scope: ObservationScope): Promise<FiringCandidate[]> {
  const { context } = scope;
  const lowWatch = accountsWithLevels(scope, 'balance_below').filter((a) => a.kind !== 'postpaid');
  const creditWatch = accountsWithLevels(scope, 'credit_used').filter(
    (a) => a.kind !== 'prepaid' && a.creditLimitMicros !== null && a.creditLimitMicros > 0n,
  );
  const accounts = [...new Map([...lowWatch, ...creditWatch].map((a) => [a.id, a])).values()];
  if (accounts.length === 0) return [];
  const { rows } = await sql<{
    account_id: string;
    balance: string;
    last_topup: string | null;
    accrued: string;
  }>`
    select p.account_id, b.balance::text,
      (select t.id::text from ledger_transactions t
        where t.tenant_id = ${context.tenantId}::uuid and t.account_id = p.account_id
          and t.kind in ('topup', 'voucher', 'auto_recharge')
        order by t.created_at desc, t.id desc limit 1) as last_topup,
      (case when p.invoiced then coalesce((select sum(r.charged_micros - r.debited_micros) from rated_usage r
        where r.tenant_id = ${context.tenantId}::uuid and r.account_id = p.account_id and r.started_at >= p.since
          and r.settlement = 'accrued'
          and not exists (select 1 from invoiced_usage i where i.rated_usage_id = r.id)), 0) else 0 end)::text as accrued
    from unnest(
      ${bareArrayLiteral(accounts.map((a) => a.id))}::uuid[],
      ${textArrayLiteral(accounts.map((a) => a.previousCycleStart.toISOString()))}::timestamptz[],
      ${textArrayLiteral(accounts.map((a) => String(a.kind !== 'prepaid')))}::boolean[]
    ) as p(account_id, since, invoiced)
    join balance_buckets b on b.tenant_id = ${context.tenantId}::uuid and b.account_id = p.account_id and b.is_main`.execute(
    db,
  );
  const low = new Set(lowWatch.map((a) => a.id));
  const credit = new Set(creditWatch.map((a) => a.id));
  const found: FiringCandidate[] = [];
  for (const row of rows) {
    const account = context.accounts.get(row.account_id)!;
    const balance = BigInt(row.balance);
    if (low.has(account.id)) {
      const since = row.last_topup ?? 'none';
      for (const level of crossedLevels(
        levelsFor(context, 'balance_below', account.id, null),
        null,
        ratio(balance),
        'falling',
      )) {
        found.push({
          accountId: account.id,
          subscriptionId: null,
          kind: 'balance_below',
          subject: '',
          level,
          cycleKey: `topup:${since}`,
          observed: { balanceMicros: balance.toString() },
          event: 'balance_low',
          data: {
            balance: formatMoneyAmount(balance, account.currency),
            level: formatMoneyAmount(BigInt(level), account.currency),
            currency: account.currency,
          },
          urgent: false,
          webhook: 'balance.low',
        });
      }
    }
    if (credit.has(account.id)) {
      const limit = account.creditLimitMicros!;
      const owed = (balance < 0n ? -balance : 0n) + BigInt(row.accrued);
      const share = percentOf(owed, limit)!;
      for (const level of crossedLevels(levelsFor(context, 'credit_used', account.id, null), null, share)) {
        found.push({
          accountId: account.id,
          subscriptionId: null,
          kind: 'credit_used',
          subject: '',
          level,
          cycleKey: account.cycleKey,
          observed: {
            usedMicros: owed.toString(),
            limitMicros: limit.toString(),
            percent: percentText(share),
          },
          event: 'credit_used',
          data: {
            percent: level,
            usedPercent: percentText(share),
            creditLimit: formatMoneyAmount(limit, account.currency),
            used: formatMoneyAmount(owed, account.currency),
            currency: account.currency,
          },
          urgent: false,
          webhook: null,
        });
      }
    }
  }
  return found;
}

/**
 * roaming_first_use: the first usage of a line in a roaming zone in the bill cycle. Tariffs mark
 * roaming by category (rated usage's service, a charging session's rating-group category): a
 * category whose name contains "roaming" (any case) is a roaming zone, and is the subject.
 */
async function observeRoaming(db: Kysely<Database>, scope: ObservationScope): Promise<FiringCandidate[]> {
  const { context } = scope;
  const lineIds = linesWithLevels(scope, 'roaming_first_use');
  if (lineIds.length === 0) return [];
  const lines = lineIds.map((id) => context.lines.get(id)!);
  const { rows } = await sql<{ subscription_id: string; zone: string }>`
    with p as (
      select * from unnest(
        ${bareArrayLiteral(lines.map((l) => l.accountId))}::uuid[],
        ${bareArrayLiteral(lines.map((l) => l.id))}::uuid[],
        ${textArrayLiteral(lines.map((l) => context.accounts.get(l.accountId)!.cycleStart.toISOString()))}::timestamptz[]
      ) as p(account_id, subscription_id, since)
    )
    select r.subscription_id, r.service as zone
    from p join rated_usage r on r.tenant_id = ${context.tenantId}::uuid and r.account_id = p.account_id
      and r.started_at >= p.since and r.subscription_id = p.subscription_id
    where r.entry = 'charge' and r.service ilike '%roaming%'
    union
    select s.subscription_id, x.value->>'category' as zone
    from p join charging_sessions s on s.tenant_id = ${context.tenantId}::uuid and s.account_id = p.account_id
      and s.started_at >= p.since and s.subscription_id = p.subscription_id
    cross join lateral jsonb_array_elements(s.services) as x(value)
    where (x.value->>'category') ilike '%roaming%' and (x.value->>'usedUnits')::numeric > 0`.execute(db);
  return rows.flatMap((row) => {
    const line = context.lines.get(row.subscription_id)!;
    const account = context.accounts.get(line.accountId)!;
    return levelsFor(context, 'roaming_first_use', line.accountId, line.id)
      .slice(0, 1)
      .map(
        (level): FiringCandidate => ({
          accountId: line.accountId,
          subscriptionId: line.id,
          kind: 'roaming_first_use',
          subject: row.zone,
          level,
          cycleKey: account.cycleKey,
          observed: { zone: row.zone },
          event: 'roaming_first_use',
          data: { country: row.zone, zone: row.zone },
          urgent: false,
          webhook: null,
        }),
      );
  });
}

/**
 * unusual_usage: the line's spend today (local day) as a multiple of its average daily spend
 * over the 30 days before; days under the minimum spend, and lines with no history, never count.
 * Spend is what charging sessions charged plus recorded usage (not reconciled with a session).
 */
async function observeUnusualUsage(
  db: Kysely<Database>,
  scope: ObservationScope,
): Promise<FiringCandidate[]> {
  const { context } = scope;
  const lineIds = linesWithLevels(scope, 'unusual_usage');
  if (lineIds.length === 0) return [];
  const lines = lineIds.map((id) => context.lines.get(id)!);
  const { rows } = await sql<{ subscription_id: string; today: string; history: string }>`
    with p as (
      select * from unnest(
        ${bareArrayLiteral(lines.map((l) => l.accountId))}::uuid[],
        ${bareArrayLiteral(lines.map((l) => l.id))}::uuid[],
        ${textArrayLiteral(lines.map((l) => context.accounts.get(l.accountId)!.dayStart.toISOString()))}::timestamptz[],
        ${textArrayLiteral(lines.map((l) => context.accounts.get(l.accountId)!.historyStart.toISOString()))}::timestamptz[]
      ) as p(account_id, subscription_id, day_start, history_start)
    ), spend as (
      select p.subscription_id, p.day_start, s.started_at, s.charged_micros as micros
      from p join charging_sessions s on s.tenant_id = ${context.tenantId}::uuid and s.account_id = p.account_id
        and s.started_at >= p.history_start and s.subscription_id = p.subscription_id
      union all
      select p.subscription_id, p.day_start, r.started_at, r.charged_micros
      from p join rated_usage r on r.tenant_id = ${context.tenantId}::uuid and r.account_id = p.account_id
        and r.started_at >= p.history_start and r.subscription_id = p.subscription_id
      where r.settlement <> 'online'
    )
    select subscription_id,
      coalesce(sum(micros) filter (where started_at >= day_start), 0)::text as today,
      coalesce(sum(micros) filter (where started_at < day_start), 0)::text as history
    from spend group by subscription_id`.execute(db);
  return rows.flatMap((row) => {
    const line = context.lines.get(row.subscription_id)!;
    const account = context.accounts.get(line.accountId)!;
    const factor = unusualUsageFactor(BigInt(row.today), BigInt(row.history));
    if (factor === null) return [];
    return crossedLevels(levelsFor(context, 'unusual_usage', line.accountId, line.id), null, factor).map(
      (level): FiringCandidate => ({
        accountId: line.accountId,
        subscriptionId: line.id,
        kind: 'unusual_usage',
        subject: '',
        level,
        cycleKey: account.dayKey,
        observed: { todayMicros: row.today, historyMicros: row.history, factor: ratioText(factor) },
        event: 'unusual_usage',
        data: {
          factor: level,
          observedFactor: ratioText(factor),
          spentToday: formatMoneyAmount(BigInt(row.today), account.currency),
          currency: account.currency,
        },
        urgent: false,
        webhook: null,
      }),
    );
  });
}

/**
 * spending_cap: a line whose cap refused a request (told by the engine) or whose spend in the
 * current period reached the limit. Once per cap period and limit: the subject and cycle key are
 * the period's start, the level the limit (a raised cap reached again in the same period is told
 * again).
 */
async function observeSpendingCaps(
  db: Kysely<Database>,
  scope: ObservationScope,
): Promise<FiringCandidate[]> {
  const { context } = scope;
  const lineIds = [...new Set([...scope.lineIds, ...scope.capsReached])];
  if (lineIds.length === 0) return [];
  const rows = await db
    .selectFrom('line_spending_caps')
    .select(['subscription_id', 'account_id', 'limit_micros', 'spent_micros', 'period', 'period_start'])
    .where('tenant_id', '=', context.tenantId)
    .where('subscription_id', 'in', lineIds)
    .execute();
  const found: FiringCandidate[] = [];
  for (const row of rows) {
    const account = context.accounts.get(row.account_id);
    if (account === undefined) continue;
    const periodStartMs = capPeriodStartMs(account.clock, row.period, context.now.getTime());
    const current = new Date(row.period_start).getTime() === periodStartMs;
    const limit = BigInt(row.limit_micros);
    const spent = current ? BigInt(row.spent_micros) : 0n;
    if (!scope.capsReached.has(row.subscription_id) && spent < limit) continue;
    const period = new Date(periodStartMs).toISOString();
    found.push({
      accountId: row.account_id,
      subscriptionId: row.subscription_id,
      kind: 'spending_cap',
      subject: period,
      level: limit.toString(),
      cycleKey: period,
      observed: { spentMicros: spent.toString(), limitMicros: limit.toString() },
      event: 'spending_cap_reached',
      data: {
        cap: formatMoneyAmount(limit, account.currency),
        spent: formatMoneyAmount(spent, account.currency),
        currency: account.currency,
        period: row.period,
        periodStart: period,
      },
      urgent: true,
      webhook: null,
    });
  }
  return found;
}
