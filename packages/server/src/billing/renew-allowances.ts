import { cycleContaining, startOfLocalDayMs, zoneClockFor } from '@tollgate/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { cycleRuleOf } from './bill-account.js';
import { type CycleAllowanceRequest, grantCycleAllowances } from './grant-cycle-allowances.js';
import { loadAccountsToBill, loadTenantBilling } from './load-billing-chunk.js';
import { planSpansOf } from './plan-spans.js';

/** Accounts per transaction. */
const CHUNK = 500;
/** A line's open end, past any cycle. */
const HORIZON_DAYS = 800;

/**
 * Grants every line of the tenant the allowances of its plans for the bill cycle holding `asOf`
 * (in each account's zone), where they were not granted yet: lines activated during a cycle and
 * prepaid lines get theirs here (bill runs grant the next cycle of the accounts they bill). Run
 * hourly by `tollgate serve` and by `tollgate allowances renew`; safe to repeat and to run in
 * several processes at once.
 */
export async function renewAllowances(
  db: Kysely<Database>,
  tenantId: string,
  asOf: Date,
  now: Date,
): Promise<number> {
  const accounts = await db
    .selectFrom('accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '<>', 'closed')
    .orderBy('id')
    .execute();
  let granted = 0;
  for (let start = 0; start < accounts.length; start += CHUNK) {
    const ids = accounts.slice(start, start + CHUNK).map((a) => ({ accountId: a.id, nextFromDay: 0 }));
    granted += await db.transaction().execute(async (trx) => {
      const [tenant, chunk] = await Promise.all([
        loadTenantBilling(trx, tenantId),
        loadAccountsToBill(trx, tenantId, ids),
      ]);
      const requests: CycleAllowanceRequest[] = [];
      for (const account of chunk) {
        const clock = zoneClockFor(account.timeZone);
        const cycle = cycleContaining(cycleRuleOf(account), clock.localTime(asOf.getTime()).dayNumber);
        for (const line of account.lines)
          for (const span of planSpansOf(line.id, line.events, clock, cycle.toDay + HORIZON_DAYS))
            if (span.span.fromDay < cycle.toDay && span.span.toDay > cycle.fromDay)
              requests.push({
                accountId: account.id,
                currency: account.currency,
                clock,
                cycle,
                cycleStartMs: startOfLocalDayMs(clock, cycle.fromDay),
                cycleEndMs: startOfLocalDayMs(clock, cycle.toDay),
                span,
              });
      }
      return grantCycleAllowances(trx, tenantId, requests, tenant.plans, now);
    });
  }
  return granted;
}
