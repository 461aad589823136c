import { type Kysely, sql, type Transaction } from 'kysely';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import type { Database } from '../db/database-schema.js';
import { type AccountFailure, conflict, invalid, notFound } from './account-failure.js';
import type { SubscriptionEventData } from './account-tables.js';
import type { SubscriptionChangeBody, SubscriptionChangeResult } from './subscription-schemas.js';
import {
  findSubscription,
  readSubscription,
  type SubscriptionRow,
  toSubscriptionEvent,
} from './subscription-store.js';
import { statusAfter } from './subscription-transitions.js';

export type ChangeSubscriptionResult = ({ readonly ok: true } & SubscriptionChangeResult) | AccountFailure;

/**
 * Applies a dated change to a subscription (plan change, add-on, pause, resume, suspend,
 * restore, terminate): the subscription row, the appended event and the audit entry in one
 * transaction, under the row's lock, so billing can later prorate from the events.
 *
 * Changes take effect in the order they are applied: `effectiveAt` is never before the last
 * change, and never after now (a change in the future would make the row's status wrong until
 * then; scheduled changes are future work). A line that has not started yet takes changes at
 * its start.
 */
export async function changeSubscription(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  input: SubscriptionChangeBody,
  now: Date,
): Promise<ChangeSubscriptionResult> {
  return db
    .transaction()
    .execute((trx) => applySubscriptionChange(trx, tenantId, actor, subscriptionId, input, now));
}

/**
 * changeSubscription inside the caller's transaction: dunning suspends and restores an
 * account's lines in the transaction that records its step.
 */
export async function applySubscriptionChange(
  trx: Transaction<Database>,
  tenantId: string,
  actor: Actor,
  subscriptionId: string,
  input: SubscriptionChangeBody,
  now: Date,
): Promise<ChangeSubscriptionResult> {
  const refused = checkFields(input);
  if (refused !== null) return refused;
  const current = await findSubscription(trx, tenantId, subscriptionId, true);
  if (current === undefined) return notFound(`no subscription ${subscriptionId}`);
  if (current.status === 'terminated')
    return conflict(
      `subscription ${subscriptionId} is terminated: a terminated subscription takes no changes`,
    );
  const status = statusAfter(current.status, input.kind);
  if (status === null)
    return conflict(
      `subscription ${subscriptionId} is ${current.status}: it cannot be ${input.kind}`,
      '/kind',
    );
  const last = await trx
    .selectFrom('subscription_events')
    .select(['sequence', 'kind', 'effective_at'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const effectiveAt = effectiveTimeOf(input, last, now);
  if (!(effectiveAt instanceof Date)) return effectiveAt;
  const data = await dataOf(trx, current, input);
  if (!data.ok) return data;
  const before = await readSubscription(trx, tenantId, current);
  const row = await trx
    .updateTable('subscriptions')
    .set({
      status,
      plan_id: input.kind === 'plan_changed' ? (input.planId ?? null) : current.plan_id,
      ends_at: status === 'terminated' ? effectiveAt : current.ends_at,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', subscriptionId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (status === 'terminated') await releaseIdentifiers(trx, current, effectiveAt);
  const event = await trx
    .insertInto('subscription_events')
    .values({
      tenant_id: tenantId,
      account_id: current.account_id,
      subscription_id: subscriptionId,
      sequence: last.sequence + 1,
      kind: input.kind,
      effective_at: effectiveAt,
      data: JSON.stringify(data.value),
      actor_type: actor.type,
      actor_id: actor.id,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const subscription = await readSubscription(trx, tenantId, row);
  const change = toSubscriptionEvent(event);
  await recordAuditEntry(trx, {
    tenantId,
    actor,
    action: `subscription.${input.kind}`,
    objectType: 'subscription',
    objectId: subscriptionId,
    before,
    after: { subscription, change },
    occurredAt: now,
  });
  return { ok: true, change, subscription };
}

/**
 * When the change takes effect: as asked, or now; but never before the last change (the events
 * keep the order in which they were applied) and never in the future, except at the start of a
 * line that has not started.
 */
function effectiveTimeOf(
  input: SubscriptionChangeBody,
  last: { readonly kind: string; readonly effective_at: Date },
  now: Date,
): Date | AccountFailure {
  const latest = new Date(Math.max(now.getTime(), last.effective_at.getTime()));
  const effectiveAt = input.effectiveAt === undefined ? latest : new Date(input.effectiveAt);
  if (effectiveAt < last.effective_at)
    return conflict(
      `effectiveAt is before the last change (${last.kind} at ${last.effective_at.toISOString()})`,
      '/effectiveAt',
    );
  if (effectiveAt > latest) return invalid('/effectiveAt', 'changes cannot be scheduled in the future yet');
  return effectiveAt;
}

/** planId belongs to plan changes, addonPlanId to add-on changes, and nothing else. */
function checkFields(input: SubscriptionChangeBody): AccountFailure | null {
  const isPlanChange = input.kind === 'plan_changed';
  const isAddonChange = input.kind === 'addon_added' || input.kind === 'addon_removed';
  if (isPlanChange && input.planId === undefined) return invalid('/planId', 'a plan change needs planId');
  if (!isPlanChange && input.planId !== undefined)
    return invalid('/planId', `planId belongs to plan_changed, not ${input.kind}`);
  if (isAddonChange && input.addonPlanId === undefined)
    return invalid('/addonPlanId', `${input.kind} needs addonPlanId`);
  if (!isAddonChange && input.addonPlanId !== undefined)
    return invalid('/addonPlanId', `addonPlanId belongs to add-on changes, not ${input.kind}`);
  return null;
}

type EventData = { readonly ok: true; readonly value: SubscriptionEventData } | AccountFailure;

/**
 * What the event records beside its kind, once the change is known to fit: the plans before and
 * after, or the add-on. Plan ids are not checked against the catalog yet (see create-subscription).
 */
async function dataOf(
  trx: Transaction<Database>,
  current: SubscriptionRow,
  input: SubscriptionChangeBody,
): Promise<EventData> {
  if (input.kind === 'plan_changed' && input.planId !== undefined) {
    if (input.planId === current.plan_id)
      return conflict(`subscription ${current.id} is already on plan ${input.planId}`, '/planId');
    return { ok: true, value: { fromPlanId: current.plan_id, toPlanId: input.planId } };
  }
  if (input.addonPlanId !== undefined) {
    const active = await activeAddons(trx, current);
    const addonPlanId = input.addonPlanId;
    if (input.kind === 'addon_added' && active.has(addonPlanId))
      return conflict(`add-on ${addonPlanId} is already on subscription ${current.id}`, '/addonPlanId');
    if (input.kind === 'addon_removed' && !active.has(addonPlanId))
      return conflict(`add-on ${addonPlanId} is not on subscription ${current.id}`, '/addonPlanId');
    return { ok: true, value: { addonPlanId } };
  }
  return { ok: true, value: {} };
}

/** The add-ons a subscription has now, replayed from its events (the events are the record). */
async function activeAddons(trx: Transaction<Database>, subscription: SubscriptionRow): Promise<Set<string>> {
  const events = await trx
    .selectFrom('subscription_events')
    .select(['kind', 'data'])
    .where('tenant_id', '=', subscription.tenant_id)
    .where('subscription_id', '=', subscription.id)
    .where('kind', 'in', ['addon_added', 'addon_removed'])
    .orderBy('sequence')
    .execute();
  const active = new Set<string>();
  for (const event of events) {
    const addon = event.data.addonPlanId;
    if (addon === undefined) continue;
    if (event.kind === 'addon_added') active.add(addon);
    else active.delete(addon);
  }
  return active;
}

/**
 * A terminated line lets go of its identifiers at the termination, so they can be given to
 * another line from then on. Identifiers that would only have started later get an empty period.
 */
async function releaseIdentifiers(
  trx: Transaction<Database>,
  subscription: SubscriptionRow,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('subscription_identifiers')
    .set({ valid_to: sql<Date>`greatest(valid_from, ${at}::timestamptz)` })
    .where('tenant_id', '=', subscription.tenant_id)
    .where('subscription_id', '=', subscription.id)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .execute();
}
