import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { invalid, notFound, type UseCaseFailure, unprocessable } from '../outcomes/use-case-failure.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { type PaymentMethodRow, toPaymentMethod } from './payment-method-store.js';

export type PaymentMethodResult = { readonly ok: true; readonly method: PaymentMethodRow } | UseCaseFailure;

export interface AddPaymentMethodInput {
  readonly gateway?: string;
  readonly token: string;
  readonly makeDefault?: boolean;
}

/**
 * Stores a payment method the customer gave a gateway: the gateway checks the token and attaches
 * it to the gateway's customer of the account (created on first use); Tollgate keeps the
 * returned token and its display details, never card data. The first method is the default.
 */
export async function addPaymentMethod(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  actor: Actor,
  accountId: string,
  input: AddPaymentMethodInput,
  now: Date,
): Promise<PaymentMethodResult> {
  const gatewayName = input.gateway ?? (gateways.has('stripe') ? 'stripe' : 'sandbox');
  const gateway = gateways.get(gatewayName);
  if (gateway === undefined)
    return invalid(
      '/gateway',
      `no gateway ${gatewayName} here; configured: ${[...gateways.keys()].join(', ')}`,
    );
  const account = await db
    .selectFrom('accounts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.id', 'a.account_number', 'c.display_name', 'c.email'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (account === undefined) return notFound(`no account ${accountId}`);
  const known = await db
    .selectFrom('payment_methods')
    .select('gateway_customer')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('gateway', '=', gatewayName)
    .where('gateway_customer', 'is not', null)
    .executeTakeFirst();
  const attached = await gateway.attachMethod({
    tenantId,
    accountId,
    gatewayCustomer: known?.gateway_customer ?? null,
    email: account.email,
    name: `${account.display_name} (${account.account_number})`,
    token: input.token,
  });
  if (!attached.ok)
    return attached.error.code === 'unavailable'
      ? unprocessable('/token', `the ${gatewayName} gateway did not answer: ${attached.error.message}`)
      : unprocessable('/token', attached.error.message);
  const method = attached.value;
  return db.transaction().execute(async (trx): Promise<PaymentMethodResult> => {
    const others = await trx
      .selectFrom('payment_methods')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('status', '=', 'active')
      .forUpdate()
      .execute();
    const makeDefault = (input.makeDefault ?? true) || others.length === 0;
    if (makeDefault)
      await trx
        .updateTable('payment_methods')
        .set({ is_default: false })
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', accountId)
        .execute();
    const row = await trx
      .insertInto('payment_methods')
      .values({
        tenant_id: tenantId,
        account_id: accountId,
        gateway: gatewayName,
        gateway_customer: method.gatewayCustomer,
        token: method.token,
        kind: method.kind,
        brand: method.brand,
        last4: method.last4,
        exp_month: method.expMonth,
        exp_year: method.expYear,
        is_default: makeDefault,
        created_at: now,
        removed_at: null,
      })
      .onConflict((c) =>
        c
          .columns(['tenant_id', 'gateway', 'token'])
          .doUpdateSet({ status: 'active', is_default: makeDefault, removed_at: null }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'payment_method.added',
      objectType: 'account',
      objectId: accountId,
      before: null,
      after: toPaymentMethod(row),
      occurredAt: now,
    });
    return { ok: true, method: row };
  });
}
