import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { notFound, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { AddCustomerNoteBody, CustomerNote } from './customer-note-schemas.js';
import { toCustomerNote } from './customer-note-store.js';
import { findCustomer } from './customer-store.js';

export type AddCustomerNoteResult = { readonly ok: true; readonly note: CustomerNote } | UseCaseFailure;

/**
 * Appends a note to a customer's support log, with its audit entry, in one transaction. The
 * entry is recorded against the customer (action customer.note_added), so the note shows in the
 * customer's audit trail beside the changes it explains.
 */
export async function addCustomerNote(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerId: string,
  input: AddCustomerNoteBody,
  now: Date,
): Promise<AddCustomerNoteResult> {
  return db.transaction().execute(async (trx) => {
    // The customer row is only read: notes never change it, so no lock is taken.
    const customer = await findCustomer(trx, tenantId, customerId);
    if (customer === undefined) return notFound(`no customer ${customerId}`);
    const row = await trx
      .insertInto('customer_notes')
      .values({
        tenant_id: tenantId,
        customer_id: customer.id,
        body: input.body,
        author_type: actor.type,
        author_id: actor.id,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const note = toCustomerNote(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'customer.note_added',
      objectType: 'customer',
      objectId: customer.id,
      before: null,
      after: note,
      occurredAt: now,
    });
    return { ok: true, note };
  });
}
