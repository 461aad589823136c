import { sql, type Transaction } from 'kysely';
import type { SubscriptionStatus } from '../accounts/account-tables.js';
import { applySubscriptionChange } from '../accounts/change-subscription.js';
import type { Actor } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { recordWebhookEvents } from '../webhooks/record-webhook-event.js';

/** The actor of a case's service changes: restoring touches only the lines it suspended. */
export function dunningActor(caseId: string): Actor {
  return { type: 'system', id: `dunning:${caseId}` };
}

/**
 * Suspends every active line of the account for the case: charging then refuses their new usage
 * (emergency numbers excepted, see charging/emergency-numbers.ts) until the case restores them.
 * Each line gets a dated 'suspended' event, so billing and the audit log see it.
 */
export async function suspendAccountService(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  caseId: string,
  now: Date,
): Promise<string[]> {
  const lines = await linesOf(trx, tenantId, accountId, ['active']);
  return changeLines(trx, tenantId, accountId, caseId, lines, 'suspended', now);
}

/**
 * Restores the lines this case suspended and nobody changed since (a line an operator suspended
 * for another reason stays suspended).
 */
export async function restoreAccountService(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  caseId: string,
  now: Date,
): Promise<string[]> {
  const { rows } = await sql<{ subscription_id: string }>`
    select s.id as subscription_id from subscriptions s
    where s.tenant_id = ${tenantId} and s.account_id = ${accountId} and s.status = 'suspended'
      and (select e.actor_id from subscription_events e
           where e.tenant_id = s.tenant_id and e.subscription_id = s.id
           order by e.sequence desc limit 1) = ${dunningActor(caseId).id}
    order by s.id`.execute(trx);
  return changeLines(
    trx,
    tenantId,
    accountId,
    caseId,
    rows.map((row) => row.subscription_id),
    'restored',
    now,
  );
}

/** Ends every line of the account that is not ended yet (dunning's termination step). */
export async function terminateAccountService(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  caseId: string,
  now: Date,
): Promise<string[]> {
  const lines = await linesOf(trx, tenantId, accountId, ['active', 'paused', 'suspended']);
  return changeLines(trx, tenantId, accountId, caseId, lines, 'terminated', now);
}

/** The account's lines in one of these states, by id. */
async function linesOf(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  statuses: readonly SubscriptionStatus[],
): Promise<string[]> {
  const rows = await trx
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('status', 'in', statuses)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

async function changeLines(
  trx: Transaction<Database>,
  tenantId: string,
  accountId: string,
  caseId: string,
  subscriptionIds: readonly string[],
  kind: 'suspended' | 'restored' | 'terminated',
  now: Date,
): Promise<string[]> {
  const changed: string[] = [];
  for (const subscriptionId of subscriptionIds) {
    const result = await applySubscriptionChange(
      trx,
      tenantId,
      dunningActor(caseId),
      subscriptionId,
      { kind },
      now,
    );
    // A line that cannot take the change (paused, not started) keeps its state.
    if (result.ok) changed.push(subscriptionId);
  }
  await recordWebhookEvents(
    trx,
    tenantId,
    changed.map((subscriptionId) => ({
      tenantId,
      type: `subscription.${kind}` as const,
      occurredAt: now,
      data: { subscriptionId, accountId, reason: 'dunning', dunningCaseId: caseId },
    })),
  );
  return changed;
}
