import { dayOfIsoDate, isoDateOfDay } from '@tollgate/core';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { restoreAccountService } from './account-service.js';

export interface SettledCase {
  readonly caseId: string;
  readonly restoredSubscriptionIds: readonly string[];
}

/**
 * Closes the account's open dunning case once what it chased is paid: no finalised invoice due
 * by the case's anchor date, or due before `today`, still owes anything. A suspended account's
 * lines are restored at once, in the transaction of the payment that settled it. Runs under the
 * account's payment lock.
 */
export async function settleDunningCase(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  today: string,
  now: Date,
): Promise<SettledCase | null> {
  const open = await trx
    .selectFrom('dunning_cases')
    .select(['id', 'anchor_due_on', 'service'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();
  if (open === undefined) return null;
  const yesterday = isoDateOfDay(dayOfIsoDate(today) - 1);
  const chasedUntil = open.anchor_due_on > yesterday ? open.anchor_due_on : yesterday;
  const unpaid = await trx
    .selectFrom('invoices')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'invoice')
    .where('status', '=', 'finalized')
    .where('due_on', '<=', chasedUntil)
    .where((eb) => eb('total_micros', '>', eb(eb.ref('credited_micros'), '+', eb.ref('paid_micros'))))
    .limit(1)
    .executeTakeFirst();
  if (unpaid !== undefined) return null;
  // Terminated lines stay ended: paying settles the debt, it does not bring them back.
  const restored =
    open.service === 'suspended' ? await restoreAccountService(trx, tenantId, accountId, open.id, now) : [];
  await trx
    .updateTable('dunning_cases')
    .set({
      status: 'resolved',
      closed_at: now,
      ...(open.service === 'suspended' ? { service: 'active' as const, restored_at: now } : {}),
    })
    .where('id', '=', open.id)
    .execute();
  return { caseId: open.id, restoredSubscriptionIds: restored };
}
