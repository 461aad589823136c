import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound } from '../outcomes/use-case-failure.js';
import type { PaymentMethodResult } from './add-payment-method.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { toPaymentMethod } from './payment-method-store.js';

/**
 * Removes a stored method: the gateway forgets it (best effort: a gateway that does not answer
 * cannot keep the customer's removal from taking effect here) and it is charged no more. The
 * row stays, for the payments that name it. Another active method becomes the default.
 */
export async function removePaymentMethod(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  accountId: string,
  methodId: string,
  now: Date,
): Promise<PaymentMethodResult> {
  const removed = await db.transaction().execute(async (trx): Promise<PaymentMethodResult> => {
    const method = await trx
      .selectFrom('payment_methods')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('id', '=', methodId)
      .where('status', '=', 'active')
      .forUpdate()
      .executeTakeFirst();
    if (method === undefined)
      return notFound(`account ${accountId} has no active payment method ${methodId}`);
    const row = await trx
      .updateTable('payment_methods')
      .set({ status: 'removed', is_default: false, removed_at: now })
      .where('id', '=', methodId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (method.is_default) {
      const next = await trx
        .selectFrom('payment_methods')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', accountId)
        .where('status', '=', 'active')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (next !== undefined)
        await trx
          .updateTable('payment_methods')
          .set({ is_default: true })
          .where('id', '=', next.id)
          .execute();
    }
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'payment_method.removed',
      objectType: 'account',
      objectId: accountId,
      before: toPaymentMethod(method),
      after: null,
      occurredAt: now,
    });
    return { ok: true, method: row };
  });
  if (removed.ok)
    await gateways.get(removed.method.gateway)?.detachMethod({
      gatewayCustomer: removed.method.gateway_customer,
      token: removed.method.token,
    });
  return removed;
}
