import { checkDunningSteps, type DunningStep } from '@tollgate/core';
import type { Kysely } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { invalid, type UseCaseFailure } from '../outcomes/use-case-failure.js';
import type { SetDunningPolicyBody } from './dunning-policy-schemas.js';
import { type DunningPolicyRow, toDunningPolicy } from './dunning-policy-store.js';

export type SetDunningPolicyResult =
  | { readonly ok: true; readonly policy: DunningPolicyRow; readonly created: boolean }
  | UseCaseFailure;

const GROUP = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * Sets the dunning policy of a customer group (the 'default' group's applies to groups without
 * their own). Open cases keep counting their days from their anchor; from their next step on
 * they follow the new steps.
 */
export async function setDunningPolicy(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  customerGroup: string,
  input: SetDunningPolicyBody,
  now: Date,
): Promise<SetDunningPolicyResult> {
  if (!GROUP.test(customerGroup))
    return invalid(
      '/customerGroup',
      'a customer group is lower-case letters, digits, - and _, starting with a letter',
    );
  const graceDays = input.graceDays ?? 0;
  const checked = checkDunningSteps(input.steps as DunningStep[], graceDays);
  if (!checked.ok) return invalid('/steps', checked.error.message);
  const minimum = input.minimumOverdue === undefined ? 0n : decimalToMicros(input.minimumOverdue);
  if (minimum === null) return invalid('/minimumOverdue', 'at most 6 decimals');
  return db.transaction().execute(async (trx): Promise<SetDunningPolicyResult> => {
    const before = await trx
      .selectFrom('dunning_policies')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('customer_group', '=', customerGroup)
      .forUpdate()
      .executeTakeFirst();
    const values = {
      name: input.name,
      steps: JSON.stringify(checked.value),
      grace_days: graceDays,
      minimum_overdue_micros: minimum,
      updated_at: now,
    };
    const policy =
      before === undefined
        ? await trx
            .insertInto('dunning_policies')
            .values({ tenant_id: tenantId, customer_group: customerGroup, created_at: now, ...values })
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .updateTable('dunning_policies')
            .set(values)
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'dunning_policy.set',
      objectType: 'dunning_policy',
      objectId: policy.id,
      before: before === undefined ? null : toDunningPolicy(before),
      after: toDunningPolicy(policy),
      occurredAt: now,
    });
    return { ok: true, policy, created: before === undefined };
  });
}

function decimalToMicros(text: string): bigint | null {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > 6) return null;
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}
