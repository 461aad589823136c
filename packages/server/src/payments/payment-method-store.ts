import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { PaymentMethodView } from './payment-schemas.js';
import type { PaymentMethodTable } from './payment-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type PaymentMethodRow = Selectable<PaymentMethodTable>;

export function toPaymentMethod(row: PaymentMethodRow): PaymentMethodView {
  return {
    id: row.id,
    accountId: row.account_id,
    gateway: row.gateway,
    kind: row.kind,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
  };
}

/** An account's methods that can still be charged, oldest first. */
export async function listActivePaymentMethods(
  db: Executor,
  tenantId: string,
  accountId: string,
): Promise<PaymentMethodRow[]> {
  return db
    .selectFrom('payment_methods')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .orderBy('created_at')
    .execute();
}
