import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type { PaymentReversalView, PaymentView } from './payment-schemas.js';
import type {
  PaymentAllocationTable,
  PaymentReversalTable,
  PaymentStatus,
  PaymentTable,
} from './payment-tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type PaymentRow = Selectable<PaymentTable>;
type AllocationRow = Pick<
  Selectable<PaymentAllocationTable>,
  'invoice_id' | 'amount_micros' | 'reason' | 'created_at'
>;

/** A payment as the API shows it, with what it paid (and what was taken back) invoice by invoice. */
export function toPayment(row: PaymentRow, allocations: readonly AllocationRow[]): PaymentView {
  const money = (micros: bigint) => formatMoneyAmount(micros, row.currency);
  const allocated = allocations.reduce((sum, a) => sum + BigInt(a.amount_micros), 0n);
  const net = row.status === 'succeeded' ? netMicros(row) : 0n;
  return {
    id: row.id,
    accountId: row.account_id,
    source: row.source,
    purpose: row.purpose,
    gateway: row.gateway,
    paymentMethodId: row.payment_method_id,
    invoiceId: row.invoice_id,
    amount: money(BigInt(row.amount_micros)),
    currency: row.currency,
    status: row.status,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    gatewayReference: row.gateway_reference,
    reference: row.reference,
    note: row.note,
    refunded: money(BigInt(row.refunded_micros)),
    chargedBack: money(BigInt(row.charged_back_micros)),
    allocated: money(allocated),
    unallocated: money(net - allocated),
    allocations: allocations.map((a) => ({
      invoiceId: a.invoice_id,
      amount: money(BigInt(a.amount_micros)),
      reason: a.reason,
      createdAt: a.created_at.toISOString(),
    })),
    receivedAt: row.received_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** What a payment still holds: its amount less refunds and chargebacks. */
export function netMicros(
  row: Pick<PaymentRow, 'amount_micros' | 'refunded_micros' | 'charged_back_micros'>,
): bigint {
  return BigInt(row.amount_micros) - BigInt(row.refunded_micros) - BigInt(row.charged_back_micros);
}

export function toPaymentReversal(
  row: Selectable<PaymentReversalTable>,
  currency: string,
): PaymentReversalView {
  return {
    id: row.id,
    paymentId: row.payment_id,
    kind: row.kind,
    amount: formatMoneyAmount(BigInt(row.amount_micros), currency),
    status: row.status,
    gatewayReference: row.gateway_reference,
    reason: row.reason,
    failureMessage: row.failure_message,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export async function findPayment(
  db: Executor,
  tenantId: string,
  paymentId: string,
  lock = false,
): Promise<PaymentRow | undefined> {
  let query = db
    .selectFrom('payments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', paymentId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function allocationsOf(
  db: Executor,
  paymentIds: readonly string[],
): Promise<Map<string, AllocationRow[]>> {
  const byPayment = new Map<string, AllocationRow[]>(paymentIds.map((id) => [id, []]));
  if (paymentIds.length === 0) return byPayment;
  const rows = await db
    .selectFrom('payment_allocations')
    .select(['payment_id', 'invoice_id', 'amount_micros', 'reason', 'created_at'])
    .where('payment_id', 'in', paymentIds)
    .orderBy('id')
    .execute();
  for (const row of rows) byPayment.get(row.payment_id)?.push(row);
  return byPayment;
}

/** A payment with its allocations, as the API shows it. */
export async function paymentView(db: Executor, row: PaymentRow): Promise<PaymentView> {
  const allocations = await allocationsOf(db, [row.id]);
  return toPayment(row, allocations.get(row.id) ?? []);
}

export async function listPayments(
  db: Executor,
  tenantId: string,
  filter: { readonly accountId?: string; readonly status?: PaymentStatus },
  page: { readonly after: CursorPosition | null; readonly order: 'asc' | 'desc'; readonly rows: number },
): Promise<PaymentRow[]> {
  let query = db.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return keysetPage(query, page.after, page.order, page.rows).execute();
}

export interface AccountReceivable {
  readonly creditMicros: bigint;
  readonly outstandingMicros: bigint;
  readonly overdueMicros: bigint;
}

/**
 * An account's position: credit (payments not yet applied), what finalised invoices still owe,
 * and how much of that is past its due date as of `today` (ISO date).
 */
export async function readAccountReceivable(
  db: Executor,
  tenantId: string,
  accountId: string,
  today: string,
): Promise<AccountReceivable> {
  const { rows } = await sql<{ credit: bigint | null; outstanding: bigint | null; overdue: bigint | null }>`
    select
      (select sum(p.amount_micros - p.refunded_micros - p.charged_back_micros) from payments p
        where p.tenant_id = ${tenantId} and p.account_id = ${accountId} and p.status = 'succeeded'
          and p.purpose <> 'auto_recharge')
      - coalesce((select sum(a.amount_micros) from payment_allocations a
        where a.tenant_id = ${tenantId} and a.account_id = ${accountId}), 0) as credit,
      (select sum(greatest(i.total_micros - i.credited_micros - i.paid_micros, 0)) from invoices i
        where i.tenant_id = ${tenantId} and i.account_id = ${accountId} and i.kind = 'invoice'
          and i.status = 'finalized') as outstanding,
      (select sum(greatest(i.total_micros - i.credited_micros - i.paid_micros, 0)) from invoices i
        where i.tenant_id = ${tenantId} and i.account_id = ${accountId} and i.kind = 'invoice'
          and i.status = 'finalized' and i.due_on < ${today}) as overdue`.execute(db);
  const row = rows[0];
  const positive = (value: bigint | null | undefined) => {
    const micros = BigInt(value ?? 0n);
    return micros > 0n ? micros : 0n;
  };
  return {
    creditMicros: positive(row?.credit),
    outstandingMicros: positive(row?.outstanding),
    overdueMicros: positive(row?.overdue),
  };
}

/** A payment's refunds and chargebacks, oldest first. */
export async function listPaymentReversals(
  db: Executor,
  paymentId: string,
): Promise<Selectable<PaymentReversalTable>[]> {
  return db
    .selectFrom('payment_reversals')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .execute();
}
