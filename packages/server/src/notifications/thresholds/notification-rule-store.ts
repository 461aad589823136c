import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import type { NotificationFiringTable, NotificationRuleTable } from '../notification-tables.js';
import type { NotificationFiring, NotificationRule, NotificationRuleFilter } from './threshold-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;

export function toNotificationRule(row: Selectable<NotificationRuleTable>): NotificationRule {
  return {
    id: row.id,
    scope: row.scope,
    scopeId: row.scope_id,
    kind: row.kind,
    levels: typeof row.levels === 'string' ? (JSON.parse(row.levels) as string[]) : (row.levels as string[]),
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findNotificationRule(
  db: Executor,
  tenantId: string,
  key: { scope: NotificationRule['scope']; scopeId: string | null; kind: NotificationRule['kind'] },
): Promise<Selectable<NotificationRuleTable> | undefined> {
  return db
    .selectFrom('notification_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('scope', '=', key.scope)
    .where((eb) => (key.scopeId === null ? eb('scope_id', 'is', null) : eb('scope_id', '=', key.scopeId)))
    .where('kind', '=', key.kind)
    .executeTakeFirst();
}

/** A tenant's rules, at most 1000 (a tenant has a few per plan and per account it watches closely). */
export async function listNotificationRules(
  db: Executor,
  tenantId: string,
  filter: NotificationRuleFilter,
): Promise<NotificationRule[]> {
  const rows = await db
    .selectFrom('notification_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filter.scope !== undefined, (q) => q.where('scope', '=', filter.scope!))
    .$if(filter.scopeId !== undefined, (q) => q.where('scope_id', '=', filter.scopeId!))
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
    .orderBy('scope')
    .orderBy('scope_id')
    .orderBy('kind')
    .limit(1000)
    .execute();
  return rows.map(toNotificationRule);
}

function toFiring(row: Selectable<NotificationFiringTable>): NotificationFiring {
  return {
    id: String(row.id),
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    subject: row.subject,
    level: row.level,
    cycleKey: row.cycle_key,
    observed: (typeof row.observed === 'string' ? JSON.parse(row.observed) : row.observed) as Record<
      string,
      unknown
    >,
    firedAt: row.fired_at.toISOString(),
  };
}

/** An account's firings, newest first, a page at a time (the cursor is the last id shown). */
export async function listNotificationFirings(
  db: Executor,
  tenantId: string,
  accountId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: NotificationFiring[]; nextCursor: string | null }> {
  const rows = await db
    .selectFrom('notification_firings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .$if(page.cursor !== undefined, (q) => q.where('id', '<', BigInt(page.cursor!)))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(toFiring);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
}
