import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { Customer, UpdateCustomerBody } from './customer-schemas.js';
import { displayNameOf, findCustomer, toCustomer } from './customer-store.js';

export type UpdateCustomerResult =
  | { ok: true; customer: Customer }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'missing_name'; field: string; message: string };

/** Changes a customer's fields; the before and after go to the audit log in the same transaction. */
export async function updateCustomer(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  id: string,
  patch: UpdateCustomerBody,
  now: Date,
): Promise<UpdateCustomerResult> {
  return db.transaction().execute(async (trx): Promise<UpdateCustomerResult> => {
    const current = await findCustomer(trx, tenantId, id, true);
    if (current === undefined) return { ok: false, code: 'not_found' };
    const before = toCustomer(current);
    const merged = { ...before, ...patch };
    const displayName = displayNameOf(merged);
    if (displayName === null)
      return { ok: false, code: 'missing_name', field: '/kind', message: `a ${merged.kind} needs a name` };
    const row = await trx
      .updateTable('customers')
      .set({
        kind: merged.kind,
        display_name: displayName,
        given_name: merged.givenName,
        family_name: merged.familyName,
        company_name: merged.companyName,
        email: merged.email,
        phone: merged.phone,
        language: merged.language,
        tax_region: merged.taxRegion,
        tax_exemptions: JSON.stringify(merged.taxExemptions),
        address: JSON.stringify(merged.address),
        tax_id: merged.taxId,
        customer_group: merged.customerGroup,
        status: merged.status,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const customer = toCustomer(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'customer.updated',
      objectType: 'customer',
      objectId: id,
      before,
      after: customer,
      occurredAt: now,
    });
    return { ok: true, customer };
  });
}
