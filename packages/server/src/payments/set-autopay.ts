import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';

export type SetAutopayResult = { readonly ok: true; readonly autopay: boolean } | UseCaseFailure;

/** Turns autopay of an account's finalised invoices on or off (on by default). */
export async function setAutopay(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  enabled: boolean,
  now: Date,
): Promise<SetAutopayResult> {
  return db.transaction().execute(async (trx): Promise<SetAutopayResult> => {
    const account = await lockAccountForPayments(trx, tenantId, accountId);
    if (account === undefined) return notFound(`no account ${accountId}`);
    if (account.autopay === enabled) return { ok: true, autopay: enabled };
    await trx
      .updateTable('accounts')
      .set({ autopay: enabled, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', accountId)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'account.autopay_set',
      objectType: 'account',
      objectId: accountId,
      before: { autopay: account.autopay },
      after: { autopay: enabled },
      occurredAt: now,
    });
    return { ok: true, autopay: enabled };
  });
}
