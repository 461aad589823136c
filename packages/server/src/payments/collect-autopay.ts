import { type Kysely, sql } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { applyAccountCredit } from './apply-account-credit.js';
import { collectPayment } from './collect-payment.js';
import type { PaymentGateways } from './gateways/payment-gateway.js';
import { lockAccountForPayments } from './lock-account-for-payments.js';

const AUTOPAY_ACTOR: Actor = { type: 'system', id: 'autopay' };
/** Invoices charged per pass; the next pass takes the rest. */
const MAX_INVOICES_PER_PASS = 5_000;

export interface AutopaySummary {
  creditsApplied: number;
  attempted: number;
  succeeded: number;
  failed: number;
  other: number;
}

/**
 * Applies waiting credit to new invoices, then charges each finalised invoice still owing of an
 * autopay account to its default method, once per invoice (the idempotency key is the invoice's:
 * a failed autopay is not repeated here, dunning retries it on its schedule).
 */
export async function collectAutopay(
  db: Kysely<Database>,
  gateways: PaymentGateways,
  tenantId: string,
  now: Date,
  options: { readonly accountIds?: readonly string[] } = {},
): Promise<AutopaySummary> {
  const summary: AutopaySummary = { creditsApplied: 0, attempted: 0, succeeded: 0, failed: 0, other: 0 };
  const only =
    options.accountIds === undefined
      ? sql``
      : sql`and a.id = any(${`{${options.accountIds.join(',')}}`}::uuid[])`;
  const { rows: withCredit } = await sql<{ account_id: string }>`
    select distinct i.account_id from invoices i join accounts a on a.tenant_id = i.tenant_id and a.id = i.account_id
    where i.tenant_id = ${tenantId} and i.kind = 'invoice' and i.status = 'finalized'
      and i.total_micros > i.credited_micros + i.paid_micros ${only}
      and exists (select 1 from payments p where p.tenant_id = i.tenant_id and p.account_id = i.account_id
        and p.status = 'succeeded' and p.purpose <> 'auto_recharge'
        and p.amount_micros - p.refunded_micros - p.charged_back_micros
          > coalesce((select sum(x.amount_micros) from payment_allocations x where x.payment_id = p.id), 0))
    limit ${MAX_INVOICES_PER_PASS}`.execute(db);
  for (const { account_id } of withCredit) {
    const applied = await db.transaction().execute(async (trx) => {
      const account = await lockAccountForPayments(trx, tenantId, account_id);
      return account === undefined ? null : applyAccountCredit(trx, tenantId, account, now);
    });
    if (applied !== null && applied.allocations.length > 0) summary.creditsApplied += 1;
  }
  const { rows: due } = await sql<{ id: string; account_id: string }>`
    select i.id, i.account_id from invoices i
    join accounts a on a.tenant_id = i.tenant_id and a.id = i.account_id and a.autopay
    where i.tenant_id = ${tenantId} and i.kind = 'invoice' and i.status = 'finalized'
      and i.total_micros > i.credited_micros + i.paid_micros ${only}
      and exists (select 1 from payment_methods m where m.tenant_id = a.tenant_id and m.account_id = a.id
        and m.is_default and m.status = 'active')
      and not exists (select 1 from payments p where p.tenant_id = i.tenant_id and p.idempotency_key = 'autopay:' || i.id::text)
    order by i.due_on, i.id
    limit ${MAX_INVOICES_PER_PASS}`.execute(db);
  for (const invoice of due) {
    summary.attempted += 1;
    const result = await collectPayment(
      db,
      gateways,
      tenantId,
      AUTOPAY_ACTOR,
      {
        accountId: invoice.account_id,
        purpose: 'autopay',
        invoiceId: invoice.id,
        idempotencyKey: `autopay:${invoice.id}`,
      },
      now,
    );
    if (result.ok && result.payment.status === 'succeeded') summary.succeeded += 1;
    else if (result.ok && result.payment.status === 'failed') summary.failed += 1;
    else summary.other += 1;
  }
  return summary;
}
