import { cycleContaining, startOfLocalDayMs, zoneClockFor } from '@tollgate/core';
import { type Kysely, sql } from 'kysely';
import { bareArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';

/** Accounts started per statement: a bounded batch, whatever the tenant's size. */
const BATCH = 5_000;

/**
 * Starts billing for postpaid and hybrid accounts that have lines but no billing state yet: their
 * first period begins on the local day their first line started, and they are due when the cycle
 * holding that day ends (the first cycle is partial). Prepaid accounts get statements, not
 * invoices. Safe to run at once in several processes (on conflict do nothing).
 */
export async function ensureBillingStates(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
): Promise<number> {
  let started = 0;
  for (let round = 0; round < 10_000; round++) {
    const rows = await db
      .selectFrom('accounts as a')
      .innerJoin('subscriptions as s', (join) =>
        join.onRef('s.account_id', '=', 'a.id').onRef('s.tenant_id', '=', 'a.tenant_id'),
      )
      .select((eb) => [
        'a.id',
        'a.time_zone',
        'a.bill_cycle_unit',
        'a.bill_cycle_day',
        'a.bill_cycle_month',
        eb.fn.min('s.starts_at').as('first_start'),
      ])
      .where('a.tenant_id', '=', tenantId)
      .where('a.kind', 'in', ['postpaid', 'hybrid'])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('billing_states as b')
              .select('b.account_id')
              .whereRef('b.tenant_id', '=', 'a.tenant_id')
              .whereRef('b.account_id', '=', 'a.id'),
          ),
        ),
      )
      .groupBy(['a.id', 'a.time_zone', 'a.bill_cycle_unit', 'a.bill_cycle_day', 'a.bill_cycle_month'])
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const states = rows.map((row) => {
      const clock = zoneClockFor(row.time_zone);
      const firstDay = clock.localTime(new Date(row.first_start as Date).getTime()).dayNumber;
      const cycle = cycleContaining(
        { unit: row.bill_cycle_unit, anchorDay: row.bill_cycle_day, anchorMonth: row.bill_cycle_month },
        firstDay,
      );
      return { accountId: row.id, firstDay, dueMs: startOfLocalDayMs(clock, cycle.toDay) };
    });
    await sql`
      insert into billing_states (tenant_id, account_id, next_from_day, due_at, updated_at)
      select ${tenantId}::uuid, x.account_id, x.first_day, to_timestamp(x.due_ms / 1000.0), ${now}
      from unnest(${bareArrayLiteral(states.map((s) => s.accountId))}::uuid[],
        ${bareArrayLiteral(states.map((s) => s.firstDay))}::int4[],
        ${bareArrayLiteral(states.map((s) => s.dueMs))}::int8[]) as x(account_id, first_day, due_ms)
      on conflict do nothing`.execute(db);
    started += states.length;
    if (rows.length < BATCH) break;
  }
  return started;
}
