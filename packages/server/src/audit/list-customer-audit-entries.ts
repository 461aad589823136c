import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditLogTable, Database } from '../db/database-schema.js';
import { HttpProblem } from '../http/problem.js';
import type { AuditEntryView } from './audit-entry-schemas.js';

type AuditRow = Selectable<AuditLogTable>;

/**
 * A page of the audit entries about a customer: those recorded against the customer itself
 * (changes, notes, notification settings), against each of its accounts and against each line of
 * those accounts, newest first (by position in the tenant's chain, which is the order they were
 * written). One statement; the objects are found inside it, so a customer with many lines costs
 * no parameters, and each object's entries come from the audit_log_object index.
 */
export async function listCustomerAuditEntries(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  before: bigint | null,
  rows: number,
): Promise<AuditRow[]> {
  const { rows: found } = await sql<AuditRow>`
    with objects (object_type, object_id) as (
      select 'customer', ${customerId}::text
      union all
      select 'account', a.id::text from accounts a
        where a.tenant_id = ${tenantId}::uuid and a.customer_id = ${customerId}::uuid
      union all
      select 'subscription', s.id::text from accounts a
        join subscriptions s on s.tenant_id = a.tenant_id and s.account_id = a.id
        where a.tenant_id = ${tenantId}::uuid and a.customer_id = ${customerId}::uuid
    )
    select l.* from objects o
    join audit_log l on l.tenant_id = ${tenantId}::uuid and l.object_type = o.object_type
      and l.object_id = o.object_id
    where ${before === null ? sql`true` : sql`l.sequence < ${before}`}
    order by l.sequence desc
    limit ${rows}`.execute(db);
  return found.map((row) => ({ ...row, sequence: BigInt(row.sequence), id: BigInt(row.id) }));
}

export function toAuditEntry(row: AuditRow): AuditEntryView {
  return {
    sequence: row.sequence.toString(),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    before: row.before,
    after: row.after,
  };
}

/** Cursors of this list are opaque: base64url of the last entry's sequence. */
export function encodeAuditCursor(sequence: bigint): string {
  return Buffer.from(JSON.stringify([sequence.toString()])).toString('base64url');
}

export function decodeAuditCursor(cursor: string | undefined): bigint | null {
  if (cursor === undefined) return null;
  try {
    const [sequence] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown];
    if (typeof sequence !== 'string' || !/^[1-9][0-9]{0,18}$/.test(sequence)) throw new Error('bad cursor');
    return BigInt(sequence);
  } catch {
    throw new HttpProblem('invalid_cursor', 'cursor is not one this API returned', [
      { field: '/cursor', message: 'invalid' },
    ]);
  }
}
