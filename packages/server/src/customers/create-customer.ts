import type { Kysely } from 'kysely';
import type { Actor } from '../audit/record-audit-entry.js';
import { recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import type { CreateCustomerBody, Customer } from './customer-schemas.js';
import { displayNameOf, toCustomer } from './customer-store.js';

export type CreateCustomerResult =
  | { ok: true; customer: Customer }
  | { ok: false; code: 'missing_name'; field: string; message: string };

/** Creates a customer and its audit entry in one transaction. */
export async function createCustomer(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: CreateCustomerBody,
  now: Date,
): Promise<CreateCustomerResult> {
  const displayName = displayNameOf(input);
  if (displayName === null) {
    const field = input.kind === 'business' ? '/companyName' : '/givenName';
    return {
      ok: false,
      code: 'missing_name',
      field,
      message: `a ${input.kind} needs ${input.kind === 'business' ? 'a company name' : 'a given or family name'}`,
    };
  }
  return db.transaction().execute(async (trx) => {
    const tenant = await trx
      .selectFrom('tenants')
      .select('language')
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('customers')
      .values({
        tenant_id: tenantId,
        kind: input.kind,
        display_name: displayName,
        given_name: input.givenName ?? null,
        family_name: input.familyName ?? null,
        company_name: input.companyName ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        language: input.language ?? tenant.language,
        tax_region: input.taxRegion ?? null,
        tax_exemptions: JSON.stringify(input.taxExemptions ?? []),
        address: JSON.stringify(input.address ?? []),
        tax_id: input.taxId ?? null,
        customer_group: input.customerGroup ?? 'default',
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const customer = toCustomer(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'customer.created',
      objectType: 'customer',
      objectId: customer.id,
      before: null,
      after: customer,
      occurredAt: now,
    });
    return { ok: true, customer };
  });
}
