import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import type { Account, UpdateAccountBody } from './account-schemas.js';
import { type AccountRow, findAccount, toAccount } from './account-store.js';
import { checkBillCycle } from './check-bill-cycle.js';
import { parseMoneyAmount } from './money-amount.js';

export type UpdateAccountResult = { readonly ok: true; readonly account: Account } | AccountFailure;

/**
 * Changes an account's credit limit, bill cycle (unit, day, month), itemised invoices, payment
 * terms or status. Status moves between active and suspended; closed is final, and only an
 * account whose subscriptions are all terminated can close. The before and after go to the audit
 * log in the same transaction.
 */
export async function updateAccount(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  patch: UpdateAccountBody,
  now: Date,
): Promise<UpdateAccountResult> {
  return db.transaction().execute(async (trx): Promise<UpdateAccountResult> => {
    const current = await findAccount(trx, tenantId, id, 'update');
    if (current === undefined) return notFound(`no account ${id}`);
    const refused = await checkPatch(trx, current, patch);
    if (refused !== null) return refused;
    let creditLimitMicros = current.credit_limit_micros;
    if (patch.creditLimit === null) creditLimitMicros = null;
    if (typeof patch.creditLimit === 'string') {
      const parsed = parseMoneyAmount(patch.creditLimit, current.currency);
      if (!parsed.ok) return invalid('/creditLimit', parsed.message);
      creditLimitMicros = parsed.micros;
    }
    const row = await trx
      .updateTable('accounts')
      .set({
        credit_limit_micros: creditLimitMicros,
        bill_cycle_day: patch.billCycleDay ?? current.bill_cycle_day,
        bill_cycle_unit: patch.billCycleUnit ?? current.bill_cycle_unit,
        bill_cycle_month: patch.billCycleMonth ?? current.bill_cycle_month,
        itemised_invoices: patch.itemisedInvoices ?? current.itemised_invoices,
        payment_terms_days: patch.paymentTermsDays ?? current.payment_terms_days,
        status: patch.status ?? current.status,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const account = toAccount(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'account.updated',
      objectType: 'account',
      objectId: id,
      before: toAccount(current),
      after: account,
      occurredAt: now,
    });
    return { ok: true, account };
  });
}

async function checkPatch(
  trx: Transaction<Database>,
  current: AccountRow,
  patch: UpdateAccountBody,
): Promise<AccountFailure | null> {
  if (current.status === 'closed')
    return conflict(`account ${current.account_number} is closed: a closed account does not change`);
  if (current.kind === 'prepaid' && typeof patch.creditLimit === 'string')
    return invalid('/creditLimit', 'a prepaid account spends its balance: it has no credit limit');
  const cycle = checkBillCycle(
    patch.billCycleUnit ?? current.bill_cycle_unit,
    patch.billCycleDay ?? current.bill_cycle_day,
    patch.billCycleMonth ?? current.bill_cycle_month,
  );
  if (cycle !== null) return cycle;
  if (patch.status === 'closed') {
    const open = await trx
      .selectFrom('subscriptions')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .where('tenant_id', '=', current.tenant_id)
      .where('account_id', '=', current.id)
      .where('status', '<>', 'terminated')
      .executeTakeFirstOrThrow();
    if (open.count > 0n)
      return conflict(
        `account ${current.account_number} has ${open.count} subscription(s) not terminated: terminate them before closing it`,
        '/status',
      );
  }
  return null;
}
