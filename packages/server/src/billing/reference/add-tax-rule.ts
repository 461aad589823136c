import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../../audit/record-audit-entry.js';
import type { Database } from '../../db/database-schema.js';
import type { StoredTaxComponent } from '../billing-tables.js';
import { type BillingReferenceFailure, invalid } from './billing-reference-failure.js';
import { parsePercent } from './parse-percent.js';
import { takeAdvisoryLock } from './take-advisory-lock.js';
import type { AddTaxRuleBody, TaxRule } from './tax-rule-schemas.js';
import { lastTaxRuleVersion, toTaxRule } from './tax-rule-store.js';

export type AddTaxRuleResult = { readonly ok: true; readonly rule: TaxRule } | BillingReferenceFailure;

/**
 * Adds the next version of the taxes of a jurisdiction and category. Versions are never edited
 * (the database refuses it): an invoice is taxed by the law of its tax point, and what was
 * applied must stay readable, so a correction is a new version. Where versions overlap, billing
 * takes the one that starts later, and at an equal start the higher version.
 */
export async function addTaxRule(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  input: AddTaxRuleBody,
  now: Date,
): Promise<AddTaxRuleResult> {
  const checked = checkTaxRule(input);
  if (!checked.ok) return checked;
  const { jurisdiction, category } = input;
  return db.transaction().execute(async (trx): Promise<AddTaxRuleResult> => {
    // Two versions added at once must get distinct numbers; the first version has no row to lock.
    await takeAdvisoryLock(trx, `tax_rules\n${tenantId}\n${jurisdiction}\n${category}`);
    const version = (await lastTaxRuleVersion(trx, tenantId, jurisdiction, category)) + 1;
    const row = await trx
      .insertInto('tax_rules')
      .values({
        tenant_id: tenantId,
        jurisdiction,
        category,
        version,
        effective_from: checked.effectiveFrom,
        effective_to: checked.effectiveTo,
        components: JSON.stringify(checked.components),
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const rule = toTaxRule(row);
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'tax_rule.version_added',
      objectType: 'tax_rule',
      objectId: rule.id,
      before: null,
      after: rule,
      occurredAt: now,
    });
    return { ok: true, rule };
  });
}

type CheckedTaxRule =
  | {
      readonly ok: true;
      readonly effectiveFrom: Date;
      readonly effectiveTo: Date | null;
      readonly components: StoredTaxComponent[];
    }
  | BillingReferenceFailure;

/** What the schema cannot check: rates up to 100 %, codes unique within the version, a period that is not empty. */
function checkTaxRule(input: AddTaxRuleBody): CheckedTaxRule {
  const effectiveFrom = new Date(input.effectiveFrom);
  const effectiveTo = input.effectiveTo === undefined ? null : new Date(input.effectiveTo);
  if (effectiveTo !== null && effectiveTo.getTime() <= effectiveFrom.getTime())
    return invalid('/effectiveTo', `${input.effectiveTo} is not after effectiveFrom ${input.effectiveFrom}`);
  const components: StoredTaxComponent[] = [];
  for (const [i, component] of input.components.entries()) {
    const rate = parsePercent(component.ratePercent, 'allowed');
    if (!rate.ok) return invalid(`/components/${i}/ratePercent`, rate.message);
    if (components.some((earlier) => earlier.code === component.code))
      return invalid(`/components/${i}/code`, `tax code "${component.code}" is used twice in this version`);
    components.push({
      code: component.code,
      name: component.name,
      ratePercent: rate.text,
      compound: component.compound ?? false,
    });
  }
  return { ok: true, effectiveFrom, effectiveTo, components };
}
