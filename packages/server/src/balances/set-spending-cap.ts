import { capPeriodStartMs, ZoneClock } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { findAccount } from '../accounts/account-store.js';
import { parseMoneyAmount } from '../accounts/money-amount.js';
import { findSubscription } from '../accounts/subscription-store.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type BalanceFailure, invalid, notFound } from './balance-failure.js';
import type { SpendingCap, SpendingCapBody } from './spending-cap-schemas.js';
import { readSpendingCap, toSpendingCap } from './spending-cap-store.js';

export type SpendingCapResult = { readonly ok: true; readonly cap: SpendingCap } | BalanceFailure;

/**
 * Sets a line's spending cap. A new cap, or one whose period changes, counts from the start of the
 * current day or month in the account's time zone with nothing spent; changing only the limit
 * keeps what the period has spent. What pending reservations hold is the charging engine's and
 * is kept; so is rolling the period over, which the engine does as it charges. What happens at
 * the cap (`whenReached`, `allowedDestinations`) keeps its stored value when not given. The
 * engine reads the cap under its row lock with every batch, so a raised limit serves the next
 * request.
 */
export async function setSpendingCap(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  input: SpendingCapBody,
  now: Date,
): Promise<SpendingCapResult> {
  return db.transaction().execute(async (trx): Promise<SpendingCapResult> => {
    const line = await findSubscription(trx, tenantId, subscriptionId, true);
    if (line === undefined) return notFound(`no subscription ${subscriptionId}`);
    const account = (await findAccount(trx, tenantId, line.account_id))!;
    const limit = parseMoneyAmount(input.limit, account.currency);
    if (!limit.ok) return invalid('/limit', limit.message);
    const before = await readSpendingCap(trx, tenantId, subscriptionId);
    const periodStart = new Date(
      capPeriodStartMs(new ZoneClock(account.time_zone), input.period, now.getTime()),
    );
    const samePeriod = before !== undefined && before.period === input.period;
    const whenReached = input.whenReached ?? before?.whenReached ?? 'refuse';
    const allowed = JSON.stringify(input.allowedDestinations ?? before?.allowedDestinations ?? []);
    const row = await trx
      .insertInto('line_spending_caps')
      .values({
        tenant_id: tenantId,
        account_id: line.account_id,
        subscription_id: subscriptionId,
        limit_micros: limit.micros,
        period: input.period,
        period_start: periodStart,
        when_reached: whenReached,
        allowed_destinations: allowed,
        updated_at: now,
      })
      .onConflict((c) =>
        c.columns(['tenant_id', 'subscription_id']).doUpdateSet(
          samePeriod
            ? {
                limit_micros: limit.micros,
                when_reached: whenReached,
                allowed_destinations: allowed,
                updated_at: now,
              }
            : {
                limit_micros: limit.micros,
                when_reached: whenReached,
                allowed_destinations: allowed,
                period: input.period,
                period_start: periodStart,
                spent_micros: 0n,
                updated_at: now,
              },
        ),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const cap = toSpendingCap(row, account.currency);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'spending_cap.set',
      objectType: 'subscription',
      objectId: subscriptionId,
      before: before ?? null,
      after: cap,
      occurredAt: now,
    });
    return { ok: true, cap };
  });
}
