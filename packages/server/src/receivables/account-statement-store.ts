import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';

export type StatementEntryKind =
  | 'invoice'
  | 'credit_note'
  | 'void'
  | 'write_off'
  | 'marked_paid'
  | 'payment'
  | 'refund'
  | 'chargeback';

/** Something that changed what an account owes, as stored. */
export interface StatementEvent {
  readonly kind: StatementEntryKind;
  /** The invoice, credit note, payment or reversal. */
  readonly sourceId: string;
  readonly reference: string | null;
  /** The credited invoice's number, a void's reason, a payment's source, a reversal's reason. */
  readonly detail: string | null;
  /** The account-zone day of documents dated by day (invoices, credit notes); null for instants. */
  readonly day: string | null;
  readonly at: Date;
  /** What it adds to the balance owed: negative for what reduces it. */
  readonly amountMicros: bigint;
  /** Orders events of one instant: documents before money. */
  readonly rank: number;
}

export interface StatementScope {
  readonly tenantId: string;
  readonly accountId: string;
  readonly currency: string;
}

export interface StatementWindow {
  /** ISO days, `to` excluded, for the events dated by day. */
  readonly fromDay: string;
  readonly toDay: string;
  /** The instants those days begin in the account's zone, for the events dated by instant. */
  readonly fromAt: Date;
  readonly toAt: Date;
}

/**
 * Every event of an account's receivables, as one union: an invoice or credit note on the day it
 * was issued; a void or a write-off (what the invoice still owed) when it happened; an invoice an
 * operator marked paid by hand (what no payment paid) when marked; a succeeded payment (not a
 * prepaid auto-recharge) when received, and a succeeded refund or chargeback when completed.
 */
function statementEvents(scope: StatementScope): RawBuilder<StatementEvent> {
  const { tenantId, accountId, currency } = scope;
  const ofAccount = (alias: string) =>
    sql`${sql.ref(`${alias}.tenant_id`)} = ${tenantId}::uuid and ${sql.ref(`${alias}.account_id`)} = ${accountId}::uuid
      and ${sql.ref(`${alias}.currency`)} = ${currency}`;
  const owed = sql`i.total_micros - i.credited_micros - i.paid_micros`;
  return sql<StatementEvent>`
    select 'invoice'::text as kind, i.id as source_id, i.number as reference, null::text as detail,
      i.issued_on as day, i.finalized_at as at, i.total_micros as amount_micros, 1 as rank
    from invoices i
    where ${ofAccount('i')} and i.kind = 'invoice' and i.finalized_at is not null and i.issued_on is not null
    union all
    select 'credit_note', c.id, c.number, o.number, c.issued_on, c.finalized_at, c.total_micros, 2
    from invoices c left join invoices o on o.id = c.credits_invoice_id
    where ${ofAccount('c')} and c.kind = 'credit_note' and c.finalized_at is not null and c.issued_on is not null
    union all
    select 'void', i.id, i.number, i.void_reason, null, i.voided_at, -i.total_micros, 3
    from invoices i
    where ${ofAccount('i')} and i.status = 'void' and i.finalized_at is not null and i.voided_at is not null
    union all
    select 'write_off', i.id, i.number, null, null, i.written_off_at, -greatest(${owed}, 0), 4
    from invoices i
    where ${ofAccount('i')} and i.kind = 'invoice' and i.status = 'uncollectible' and i.written_off_at is not null
    union all
    select 'marked_paid', i.id, i.number, null, null, i.paid_at, -(${owed}), 5
    from invoices i
    where ${ofAccount('i')} and i.kind = 'invoice' and i.status = 'paid' and i.paid_at is not null and ${owed} > 0
    union all
    select 'payment', p.id, coalesce(p.reference, p.gateway_reference), p.source, null,
      coalesce(p.received_at, p.created_at), -p.amount_micros, 6
    from payments p
    where ${ofAccount('p')} and p.status = 'succeeded' and p.purpose <> 'auto_recharge'
    union all
    select r.kind, r.id, coalesce(p.reference, p.gateway_reference), r.reason, null,
      coalesce(r.completed_at, r.created_at), r.amount_micros, 7
    from payment_reversals r join payments p on p.id = r.payment_id
    where ${ofAccount('p')} and r.tenant_id = ${tenantId}::uuid and r.status = 'succeeded'
      and p.purpose <> 'auto_recharge'`;
}

/** Whether an event happened before the window starts: by its day, or by its instant. */
function before(window: StatementWindow): RawBuilder<boolean> {
  return sql<boolean>`(case when day is not null then day < ${window.fromDay} else at < ${window.fromAt} end)`;
}

/** What the account owed when the window starts: the sum of every event before it. */
export async function balanceBefore(
  db: Kysely<Database>,
  scope: StatementScope,
  window: StatementWindow,
): Promise<bigint> {
  const { rows } = await sql<{ balance: bigint | null }>`
    with events as (${statementEvents(scope)})
    select sum(amount_micros) as balance from events where ${before(window)}`.execute(db);
  return BigInt(rows[0]?.balance ?? 0n);
}

/** The events inside the window, at most `limit` of them. */
export async function eventsWithin(
  db: Kysely<Database>,
  scope: StatementScope,
  window: StatementWindow,
  limit: number,
): Promise<StatementEvent[]> {
  const { rows } = await sql<{
    kind: StatementEntryKind;
    source_id: string;
    reference: string | null;
    detail: string | null;
    day: string | null;
    at: Date;
    amount_micros: bigint;
    rank: number;
  }>`
    with events as (${statementEvents(scope)})
    select * from events
    where not ${before(window)}
      and (case when day is not null then day < ${window.toDay} else at < ${window.toAt} end)
    order by at, rank, source_id
    limit ${limit}`.execute(db);
  return rows.map((row) => ({
    kind: row.kind,
    sourceId: row.source_id,
    reference: row.reference,
    detail: row.detail,
    day: row.day,
    at: new Date(row.at),
    amountMicros: BigInt(row.amount_micros),
    rank: Number(row.rank),
  }));
}
