import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import type { BillingProfile, SetBillingProfileBody } from './billing-profile-schemas.js';
import { readBillingProfile, toBillingProfile } from './billing-profile-store.js';
import { type BillingReferenceFailure, invalid } from './billing-reference-failure.js';
import { checkInvoiceLogo } from './check-invoice-logo.js';
import { takeAdvisoryLock } from './take-advisory-lock.js';

export type SetBillingProfileResult =
  | { readonly ok: true; readonly profile: BillingProfile }
  | BillingReferenceFailure;

/**
 * Replaces the tenant's billing profile (the seller on its invoices): a field left out returns to
 * its default. Issued invoices keep the seller they were issued with (their documents hold it),
 * so a change shows on the next document only. Changing a series starts its numbers afresh.
 */
export async function setBillingProfile(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: SetBillingProfileBody,
  now: Date,
): Promise<SetBillingProfileResult> {
  if (input.logo !== undefined) {
    const logo = checkInvoiceLogo(input.logo);
    if (!logo.ok) return invalid(logo.field, logo.message);
  }
  const columns = {
    legal_name: input.legalName ?? null,
    address: JSON.stringify(input.address ?? []),
    tax_id: input.taxId ?? null,
    registration: input.registration ?? null,
    email: input.email ?? null,
    website: input.website ?? null,
    bank_details: input.bankDetails ?? null,
    logo_media_type: input.logo?.mediaType ?? null,
    logo_base64: input.logo?.base64 ?? null,
    template: JSON.stringify(input.template ?? {}),
    notes: JSON.stringify(input.notes ?? []),
    prices_include_tax: input.pricesIncludeTax ?? false,
    tax_rounding: input.taxRounding ?? 'line',
    invoice_series: input.invoiceSeries ?? 'INV',
    credit_note_series: input.creditNoteSeries ?? 'CN',
    updated_at: now,
  } as const;
  return db.transaction().execute(async (trx): Promise<SetBillingProfileResult> => {
    // Orders concurrent changes of one tenant's profile, so each audit entry's `before` is exact.
    await takeAdvisoryLock(trx, `billing_profile\n${tenantId}`);
    const before = await readBillingProfile(trx, tenantId);
    const row = await trx
      .insertInto('billing_profiles')
      .values({ tenant_id: tenantId, ...columns })
      .onConflict((c) => c.column('tenant_id').doUpdateSet(columns))
      .returningAll()
      .executeTakeFirstOrThrow();
    const profile = toBillingProfile(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'billing_profile.set',
      objectType: 'billing_profile',
      objectId: tenantId,
      before: before.updatedAt === null ? null : audited(before),
      after: audited(profile),
      occurredAt: now,
    });
    return { ok: true, profile };
  });
}

/** The profile for the audit log: the logo by its digest, not its bytes, which would swell the log. */
function audited(profile: BillingProfile): unknown {
  const { logo } = profile;
  if (logo === null) return profile;
  const bytes = Buffer.from(logo.base64, 'base64');
  return {
    ...profile,
    logo: {
      mediaType: logo.mediaType,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}
