import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import { findAccountCharge, toAccountCharge } from './account-charge-store.js';
import { type BillingReferenceFailure, conflict, notFound } from './billing-reference-failure.js';

/**
 * Removes a one-time charge no invoice has taken. One an invoice has taken is part of that
 * invoice: it stays, and a correction is a credit (a negative charge or a credit note). The
 * row lock orders this against a bill run taking the charge at the same moment.
 */
export async function removeAccountCharge(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  accountId: string,
  chargeId: string,
  now: Date,
): Promise<{ readonly ok: true } | BillingReferenceFailure> {
  return db.transaction().execute(async (trx) => {
    const current = await findAccountCharge(trx, tenantId, accountId, chargeId, true);
    if (current === undefined) return notFound(`account ${accountId} has no charge ${chargeId}`);
    if (current.invoice_id !== null)
      return conflict(
        `charge ${chargeId} is on invoice ${current.invoice_id}: it cannot be removed; credit it instead`,
      );
    await trx
      .deleteFrom('account_charges')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', chargeId)
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'account_charge.removed',
      objectType: 'account_charge',
      objectId: chargeId,
      before: toAccountCharge(current),
      after: null,
      occurredAt: now,
    });
    return { ok: true } as const;
  });
}
