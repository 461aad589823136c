import type { NumberingContext } from '@tollgate/core';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { keysetPage } from '../db/keyset-page.js';
import type { CursorPosition } from '../http/pagination.js';
import type {
  IdentifierKind,
  SubscriptionEventTable,
  SubscriptionIdentifierTable,
  SubscriptionStatus,
  SubscriptionTable,
} from './account-tables.js';
import type { Identifier, Subscription, SubscriptionEvent } from './subscription-schemas.js';

export type SubscriptionRow = Selectable<SubscriptionTable>;
export type IdentifierRow = Selectable<SubscriptionIdentifierTable>;
export type SubscriptionEventRow = Selectable<SubscriptionEventTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export function toIdentifier(row: IdentifierRow): Identifier {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    value: row.value,
    validFrom: row.valid_from.toISOString(),
    validTo: row.valid_to === null ? null : row.valid_to.toISOString(),
  };
}

export function toSubscription(row: SubscriptionRow, identifiers: readonly IdentifierRow[]): Subscription {
  return {
    id: row.id,
    accountId: row.account_id,
    planId: row.plan_id,
    status: row.status,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at === null ? null : row.ends_at.toISOString(),
    identifiers: identifiers.map(toIdentifier),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toSubscriptionEvent(row: SubscriptionEventRow): SubscriptionEvent {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    accountId: row.account_id,
    sequence: row.sequence,
    kind: row.kind,
    effectiveAt: row.effective_at.toISOString(),
    data: row.data,
    actor: { type: row.actor_type, id: row.actor_id },
    createdAt: row.created_at.toISOString(),
  };
}

/** One subscription of one tenant; another tenant's id reads as absent. */
export async function findSubscription(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<SubscriptionRow | undefined> {
  let query = db
    .selectFrom('subscriptions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * The identifiers of some subscriptions, in one query (no query per row): oldest first, then by
 * kind and value, so the order is the same on every read.
 */
export async function identifiersOf(
  db: Executor,
  tenantId: string,
  subscriptionIds: readonly string[],
): Promise<Map<string, IdentifierRow[]>> {
  const bySubscription = new Map<string, IdentifierRow[]>(subscriptionIds.map((id) => [id, []]));
  if (subscriptionIds.length === 0) return bySubscription;
  const rows = await db
    .selectFrom('subscription_identifiers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', 'in', subscriptionIds)
    .orderBy('valid_from')
    .orderBy('created_at')
    .orderBy('kind')
    .orderBy('value')
    .execute();
  for (const row of rows) bySubscription.get(row.subscription_id)?.push(row);
  return bySubscription;
}

/** A subscription with its identifiers, as the API shows it. */
export async function readSubscription(
  db: Executor,
  tenantId: string,
  row: SubscriptionRow,
): Promise<Subscription> {
  const identifiers = await identifiersOf(db, tenantId, [row.id]);
  return toSubscription(row, identifiers.get(row.id) ?? []);
}

/** How the tenant's people and switches dial, for normalising MSISDNs. */
export async function numberingContextOf(db: Executor, tenantId: string): Promise<NumberingContext> {
  const tenant = await db
    .selectFrom('tenants')
    .select(['country_code', 'international_prefix', 'trunk_prefix'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    countryCode: tenant.country_code,
    internationalPrefix: tenant.international_prefix,
    trunkPrefix: tenant.trunk_prefix,
  };
}

export interface SubscriptionFilters {
  readonly accountId?: string | undefined;
  readonly status?: SubscriptionStatus | undefined;
  /** A normalised identifier that the subscription holds (at `at`, or at any time). */
  readonly identifier?: { readonly kind: IdentifierKind; readonly value: string } | undefined;
  readonly at?: Date | undefined;
}

export interface SubscriptionPageRequest {
  readonly filters: SubscriptionFilters;
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  /** Rows to fetch: the page size plus one, which tells whether another page follows. */
  readonly rows: number;
}

/** A page of a tenant's subscriptions by creation time (keyset pagination on (created_at, id)). */
export async function listSubscriptions(
  db: Executor,
  tenantId: string,
  request: SubscriptionPageRequest,
): Promise<SubscriptionRow[]> {
  const { filters, after, order } = request;
  let query = db.selectFrom('subscriptions').selectAll().where('tenant_id', '=', tenantId);
  if (filters.accountId !== undefined) query = query.where('account_id', '=', filters.accountId);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  const { identifier, at } = filters;
  if (identifier !== undefined) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subscription_identifiers as i')
          .select(sql.lit(1).as('one'))
          .where('i.tenant_id', '=', tenantId)
          .whereRef('i.subscription_id', '=', 'subscriptions.id')
          .where('i.kind', '=', identifier.kind)
          .where('i.value', '=', identifier.value)
          .$if(at !== undefined, (q) =>
            q.where(sql<boolean>`tstzrange(i.valid_from, i.valid_to) @> ${at}::timestamptz`),
          ),
      ),
    );
  }
  return keysetPage(query, after, order, request.rows).execute();
}

/**
 * A page of one subscription's events in the order they were applied. `afterEventId` is the last
 * event of the previous page; undefined when that event is not this subscription's.
 */
export async function listSubscriptionEvents(
  db: Executor,
  tenantId: string,
  subscriptionId: string,
  afterEventId: string | null,
  rows: number,
): Promise<SubscriptionEventRow[] | undefined> {
  let afterSequence = 0;
  if (afterEventId !== null) {
    const last = await db
      .selectFrom('subscription_events')
      .select('sequence')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', afterEventId)
      .executeTakeFirst();
    if (last === undefined) return undefined;
    afterSequence = last.sequence;
  }
  return db
    .selectFrom('subscription_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .limit(rows)
    .execute();
}
