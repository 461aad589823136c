import type { Kysely } from 'kysely';
import type { LineToBill } from '../billing/load-billing-chunk.js';
import type { Database } from '../db/database-schema.js';

/**
 * An account's lines with their events in the order they were applied (what billing replays fee
 * spans from) and the label a customer knows each by (its first identifier, as on invoices).
 */
export async function loadAccountLines(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
): Promise<LineToBill[]> {
  const [lines, identifiers, events] = await Promise.all([
    db
      .selectFrom('subscriptions')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('subscription_identifiers')
      .select(['subscription_id', 'value'])
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .orderBy('valid_from')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('subscription_events')
      .select(['subscription_id', 'kind', 'effective_at', 'data'])
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .orderBy('subscription_id')
      .orderBy('sequence')
      .execute(),
  ]);
  const labelOf = new Map<string, string>();
  for (const identifier of identifiers)
    if (!labelOf.has(identifier.subscription_id)) labelOf.set(identifier.subscription_id, identifier.value);
  return lines.map((line) => ({
    id: line.id,
    label: labelOf.get(line.id) ?? line.id.slice(0, 8),
    events: events
      .filter((e) => e.subscription_id === line.id)
      .map((e) => ({ kind: e.kind, effectiveAt: e.effective_at, data: e.data })),
  }));
}

/** Every plan a line's events name (base plans and add-ons), to load their prices. */
export function planIdsOf(lines: readonly LineToBill[]): string[] {
  const ids = new Set<string>();
  for (const line of lines)
    for (const event of line.events)
      for (const id of [
        event.data.planId,
        event.data.toPlanId,
        event.data.fromPlanId,
        event.data.addonPlanId,
      ])
        if (typeof id === 'string') ids.add(id);
  return [...ids];
}

/** Whether a line is one of the account's (a filter naming another account's line finds nothing). */
export async function isLineOfAccount(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  subscriptionId: string,
): Promise<boolean> {
  const line = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('id', '=', subscriptionId)
    .executeTakeFirst();
  return line !== undefined;
}
