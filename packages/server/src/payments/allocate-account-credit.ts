import { type Allocation, spreadPayment } from '@tollgate/core';
import { sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { invoiceOutstandingMicros } from '../billing/invoice-outstanding.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvents, type WebhookEventInput } from '../webhooks/record-webhook-event.js';

export interface AllocationScope {
  readonly tenantId: string;
  readonly accountId: string;
  readonly now: Date;
  /** Spread this payment first (the one just received); then any older credit. */
  readonly paymentId?: string;
  /** Pay this invoice first, then the others by due date. */
  readonly invoiceId?: string | null;
}

export interface AllocationOutcome {
  readonly allocations: readonly (Allocation & { readonly paymentId: string })[];
  /** Invoices the allocations paid in full. */
  readonly paidInvoiceIds: readonly string[];
}

interface CreditRow {
  id: string;
  unallocated_micros: bigint;
}

/**
 * Spreads the account's credit (what succeeded payments have not yet allocated) over its open
 * invoices in the account's currency: the chosen payment and invoice first, then oldest payment
 * to oldest due invoice. Runs inside the caller's transaction, which must hold the account lock
 * (lockAccountForPayments), so two payments of one account never spread over the same amount.
 * Invoices paid in full become 'paid' and an invoice.paid event is recorded.
 */
export async function allocateAccountCredit(
  trx: Transaction<Database>,
  scope: AllocationScope,
): Promise<AllocationOutcome> {
  const credits = await unallocatedPayments(trx, scope);
  if (credits.length === 0) return { allocations: [], paidInvoiceIds: [] };
  const invoices = await trx
    .selectFrom('invoices')
    .select([
      'id',
      'kind',
      'status',
      'due_on',
      'sequence',
      'total_micros',
      'credited_micros',
      'paid_micros',
      'currency',
      'number',
    ])
    .where('tenant_id', '=', scope.tenantId)
    .where('account_id', '=', scope.accountId)
    .where('kind', '=', 'invoice')
    .where('status', '=', 'finalized')
    .forUpdate()
    .execute();
  const open = new Map(
    invoices.map((invoice) => [invoice.id, { invoice, outstanding: invoiceOutstandingMicros(invoice) }]),
  );
  const allocations: (Allocation & { paymentId: string })[] = [];
  for (const credit of credits) {
    const spread = spreadPayment(
      BigInt(credit.unallocated_micros),
      [...open.values()].map(({ invoice, outstanding }) => ({
        invoiceId: invoice.id,
        dueOn: invoice.due_on ?? '9999-12-31',
        sequence: BigInt(invoice.sequence ?? 0n),
        outstandingMicros: outstanding,
      })),
      scope.invoiceId ?? null,
    );
    for (const allocation of spread.allocations) {
      const entry = open.get(allocation.invoiceId);
      if (entry === undefined) throw new Error(`allocateAccountCredit: ${allocation.invoiceId} is not open`);
      open.set(allocation.invoiceId, { ...entry, outstanding: entry.outstanding - allocation.amountMicros });
      allocations.push({ ...allocation, paymentId: credit.id });
    }
  }
  if (allocations.length === 0) return { allocations: [], paidInvoiceIds: [] };
  await trx
    .insertInto('payment_allocations')
    .values(
      allocations.map((allocation) => ({
        tenant_id: scope.tenantId,
        account_id: scope.accountId,
        payment_id: allocation.paymentId,
        invoice_id: allocation.invoiceId,
        amount_micros: allocation.amountMicros,
        reason: 'applied' as const,
      })),
    )
    .execute();
  const paidInvoiceIds: string[] = [];
  const events: WebhookEventInput[] = [];
  const touched = new Set(allocations.map((allocation) => allocation.invoiceId));
  for (const invoiceId of touched) {
    const entry = open.get(invoiceId);
    if (entry === undefined) continue;
    const added = allocations
      .filter((allocation) => allocation.invoiceId === invoiceId)
      .reduce((sum, allocation) => sum + allocation.amountMicros, 0n);
    const paidInFull = entry.outstanding === 0n;
    await trx
      .updateTable('invoices')
      .set({
        paid_micros: BigInt(entry.invoice.paid_micros) + added,
        ...(paidInFull ? { status: 'paid' as const, paid_at: scope.now } : {}),
      })
      .where('id', '=', invoiceId)
      .execute();
    if (paidInFull) {
      paidInvoiceIds.push(invoiceId);
      events.push({
        tenantId: scope.tenantId,
        type: 'invoice.paid',
        occurredAt: scope.now,
        data: {
          invoiceId,
          accountId: scope.accountId,
          number: entry.invoice.number,
          total: formatMoneyAmount(BigInt(entry.invoice.total_micros), entry.invoice.currency),
          currency: entry.invoice.currency,
        },
      });
    }
  }
  await recordWebhookEvents(trx, scope.tenantId, events);
  return { allocations, paidInvoiceIds };
}

/** Succeeded payments of the account with something left to allocate: the chosen one first. */
async function unallocatedPayments(trx: Transaction<Database>, scope: AllocationScope): Promise<CreditRow[]> {
  const { rows } = await sql<CreditRow>`
    select p.id,
      p.amount_micros - p.refunded_micros - p.charged_back_micros
        - coalesce((select sum(a.amount_micros) from payment_allocations a where a.payment_id = p.id), 0) as unallocated_micros
    from payments p
    join accounts acc on acc.tenant_id = p.tenant_id and acc.id = p.account_id
    where p.tenant_id = ${scope.tenantId} and p.account_id = ${scope.accountId}
      and p.status = 'succeeded' and p.currency = acc.currency and p.purpose <> 'auto_recharge'
      and p.amount_micros - p.refunded_micros - p.charged_back_micros
        > coalesce((select sum(a.amount_micros) from payment_allocations a where a.payment_id = p.id), 0)
    order by (p.id = ${scope.paymentId ?? null}::uuid) desc nulls last, p.received_at, p.id`.execute(trx);
  return rows.map((row) => ({ id: row.id, unallocated_micros: BigInt(row.unallocated_micros) }));
}
