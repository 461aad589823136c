import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { applyAccountCredit } from './apply-account-credit.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';

/**
 * After a credit note: what payments paid beyond what the invoice still asks (total less
 * credited) goes back to those payments, newest allocation first, and so becomes the account's
 * credit, which then pays its other open invoices. Runs in the credit note's transaction, after
 * the account's payment lock was taken (lockAccountForPayments before the invoice's row lock).
 */
export async function releaseCreditedPayments(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  invoiceId: string,
  now: Date,
): Promise<bigint> {
  const invoice = await trx
    .selectFrom('invoices')
    .select(['total_micros', 'credited_micros', 'paid_micros'])
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  let excess = BigInt(invoice.paid_micros) + BigInt(invoice.credited_micros) - BigInt(invoice.total_micros);
  if (excess <= 0n) return 0n;
  const released = excess;
  const { rows } = await sql<{ payment_id: string; paid_micros: bigint }>`
    select payment_id, sum(amount_micros) as paid_micros from payment_allocations
    where invoice_id = ${invoiceId}
    group by payment_id having sum(amount_micros) > 0
    order by max(id) desc`.execute(trx);
  const back: { payment_id: string; amount_micros: bigint }[] = [];
  for (const row of rows) {
    if (excess === 0n) break;
    const paid = BigInt(row.paid_micros);
    const amount = paid < excess ? paid : excess;
    back.push({ payment_id: row.payment_id, amount_micros: -amount });
    excess -= amount;
  }
  if (back.length === 0) return 0n;
  await trx
    .insertInto('payment_allocations')
    .values(
      back.map((row) => ({
        tenant_id: tenantId,
        account_id: accountId,
        payment_id: row.payment_id,
        invoice_id: invoiceId,
        amount_micros: row.amount_micros,
        reason: 'credit_note' as const,
      })),
    )
    .execute();
  await trx
    .updateTable('invoices')
    .set((eb) => ({ paid_micros: eb('paid_micros', '-', released - excess) }))
    .where('id', '=', invoiceId)
    .execute();
  const account = await lockAccountForPayments(trx, tenantId, accountId);
  if (account !== undefined) await applyAccountCredit(trx, tenantId, account, now);
  return released - excess;
}
