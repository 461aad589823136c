import {
  divideRounded,
  getCurrency,
  isoDateOfDay,
  MICROS_SCALE,
  pow10,
  spanDays,
  startOfLocalDayMs,
} from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import type { AccountRow } from '../accounts/account-store.js';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { readAccountBalance } from '../balances/read-account-balance.js';
import type { Database } from '../db/database-schema.js';
import { type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import { accountCalendarOf, cycleAt, localDayOf } from './account-calendar.js';
import { loadAccountLines, planIdsOf } from './account-lines.js';
import { accountUsageRows } from './account-usage-rows.js';
import type { CycleOverview } from './cycle-overview-schemas.js';
import { cycleRecurringFees } from './cycle-recurring-fees.js';
import { loadFxRates, loadPlansToBill } from './plans-to-bill.js';

/** Alerts listed at most: a cycle's firings are a handful per threshold and level. */
const MAX_ALERTS = 100;

export type CycleOverviewResult = { readonly ok: true; readonly overview: CycleOverview } | UseCaseFailure;

/**
 * Where an account stands in its current bill cycle (the cycle holding `now` in the account's
 * zone, by its bill cycle rule, as bill runs cut them):
 *
 * - spend so far: the cycle's usage after allowances (rated records and online sessions not yet
 *   reconciled, as the usage summary counts them), plus the recurring fees of the lines' plans
 *   for the cycle's days (prorated as a bill prorates them: cycleRecurringFees);
 * - the estimate for the cycle's end: the recurring fees as they are (they do not grow with the
 *   days), plus the usage so far scaled linearly, usage × daysTotal ÷ daysElapsed, where
 *   daysElapsed counts today as a whole day (so the first day of a cycle projects its own
 *   usage, not a division by zero). The scaled usage is rounded once, half away from zero, to the
 *   currency's minor unit, as invoice lines are (DESIGN.md section 3); recurring fees are already
 *   rounded per line. It is a straight line, not a forecast: it knows nothing of weekends or of
 *   allowances running out;
 * - allowance buckets valid now, per line and service: granted (the bucket's grant entries in the
 *   ledger), used (granted less what remains) and remaining;
 * - the main balance, what the account can spend and its credit limit;
 * - the thresholds that fired since the cycle started (notification_firings), newest first.
 *
 * Taxes, discounts and one-time charges are not in these figures: they belong to the invoice.
 */
export async function readCycleOverview(
  db: Kysely<Database>,
  tenantId: string,
  account: AccountRow,
  now: Date,
): Promise<CycleOverviewResult> {
  const calendar = accountCalendarOf(account);
  const cycle = cycleAt(calendar, now);
  const startsAt = new Date(startOfLocalDayMs(calendar.clock, cycle.fromDay));
  const endsAt = new Date(startOfLocalDayMs(calendar.clock, cycle.toDay));
  const daysTotal = spanDays(cycle);
  const daysElapsed = localDayOf(calendar, now) - cycle.fromDay + 1;
  const currency = account.currency;

  const lines = await loadAccountLines(db, tenantId, account.id);
  const [plans, fxRates] = await Promise.all([
    loadPlansToBill(db, tenantId, planIdsOf(lines)),
    loadFxRates(db, tenantId),
  ]);
  const fees = cycleRecurringFees({ lines, calendar, cycle, currency, plans, fxRates });
  if (!fees.ok) return unprocessable('params:/id', `the recurring fees cannot be priced: ${fees.message}`);
  const usage = await sql<{ amount: string }>`
    with usage as (${accountUsageRows({ tenantId, accountId: account.id, subscriptionId: null, from: startsAt, to: endsAt })})
    select coalesce(sum(amount_micros), 0)::text as amount from usage`.execute(db);
  const usageMicros = BigInt(usage.rows[0]?.amount ?? '0');
  const recurringMicros = fees.lines.reduce((sum, line) => sum + line.amountMicros, 0n);
  const estimatedUsageMicros = projectLinearly(usageMicros, daysTotal, daysElapsed, currency);

  const [allowances, balance, alerts] = await Promise.all([
    allowancesOf(db, tenantId, account.id, now),
    readAccountBalance(db, tenantId, account.id, now),
    alertsSince(db, tenantId, account.id, startsAt),
  ]);
  if (balance === undefined) throw new Error(`account ${account.id} vanished while it was read`);
  const labelOf = new Map(lines.map((line) => [line.id, line.label]));
  const money = (micros: bigint) => formatMoneyAmount(micros, currency);
  return {
    ok: true,
    overview: {
      accountId: account.id,
      currency,
      timeZone: account.time_zone,
      asOf: now.toISOString(),
      cycle: {
        start: isoDateOfDay(cycle.fromDay),
        end: isoDateOfDay(cycle.toDay - 1),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        daysElapsed,
        daysTotal,
      },
      spend: {
        usage: money(usageMicros),
        recurring: money(recurringMicros),
        total: money(usageMicros + recurringMicros),
      },
      estimate: {
        usage: money(estimatedUsageMicros),
        recurring: money(recurringMicros),
        total: money(estimatedUsageMicros + recurringMicros),
      },
      recurringFees: fees.lines.map((line) => ({
        subscriptionId: line.subscriptionId,
        line: labelOf.get(line.subscriptionId) ?? line.subscriptionId,
        planId: line.planId,
        label: line.label,
        from: isoDateOfDay(line.span.fromDay),
        to: isoDateOfDay(line.span.toDay - 1),
        days: line.days,
        windowDays: line.windowDays,
        fee: money(line.feeMicros),
        amount: money(line.amountMicros),
      })),
      allowances: allowances.map((bucket) => ({
        ...bucket,
        line: bucket.subscriptionId === null ? null : (labelOf.get(bucket.subscriptionId) ?? null),
      })),
      balance: {
        main: balance.mainBalance,
        availableToSpend: balance.availableToSpend,
        creditLimit: balance.creditLimit,
      },
      alerts,
    },
  };
}

/**
 * usage × daysTotal ÷ daysElapsed, rounded once, half away from zero, to the currency's minor
 * unit (units without one keep micro-units).
 */
export function projectLinearly(
  usageMicros: bigint,
  daysTotal: number,
  daysElapsed: number,
  currency: string,
): bigint {
  const minorUnits = getCurrency(currency)?.minorUnits ?? null;
  const step = minorUnits === null ? 1n : pow10(MICROS_SCALE - minorUnits);
  const elapsed = BigInt(Math.min(Math.max(daysElapsed, 1), daysTotal));
  return divideRounded(usageMicros * BigInt(daysTotal), elapsed * step, 'half-up') * step;
}

async function allowancesOf(db: Kysely<Database>, tenantId: string, accountId: string, now: Date) {
  const { rows } = await sql<{
    id: string;
    subscription_id: string | null;
    service: string | null;
    unit: string;
    label: string | null;
    balance: string;
    granted: string;
    valid_from: Date;
    valid_to: Date | null;
  }>`
    select b.id, b.subscription_id, b.service, b.unit, b.label, b.balance::text, b.valid_from, b.valid_to,
      coalesce((select sum(e.amount) from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
        where e.bucket_id = b.id and t.kind = 'grant'), 0)::text as granted
    from balance_buckets b
    where b.tenant_id = ${tenantId}::uuid and b.account_id = ${accountId}::uuid and b.kind = 'allowance'
      and b.valid_from <= ${now} and (b.valid_to is null or b.valid_to > ${now})
    order by b.subscription_id nulls first, b.service nulls first, b.priority, b.valid_from, b.id`.execute(
    db,
  );
  return rows.map((row) => {
    const granted = BigInt(row.granted);
    const remaining = BigInt(row.balance);
    const used = granted - remaining;
    return {
      bucketId: row.id,
      subscriptionId: row.subscription_id,
      service: row.service,
      unit: row.unit.trim(),
      label: row.label,
      total: granted.toString(),
      used: (used > 0n ? used : 0n).toString(),
      remaining: remaining.toString(),
      validFrom: new Date(row.valid_from).toISOString(),
      validTo: row.valid_to === null ? null : new Date(row.valid_to).toISOString(),
    };
  });
}

async function alertsSince(db: Kysely<Database>, tenantId: string, accountId: string, since: Date) {
  const rows = await db
    .selectFrom('notification_firings')
    .select(['id', 'kind', 'level', 'subject', 'subscription_id', 'observed', 'fired_at'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('fired_at', '>=', since)
    .orderBy('fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_ALERTS)
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    kind: row.kind,
    level: row.level,
    subject: row.subject,
    subscriptionId: row.subscription_id,
    observed: row.observed,
    firedAt: row.fired_at.toISOString(),
  }));
}
