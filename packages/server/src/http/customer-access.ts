import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { OwnedKind } from './authenticate.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rated usage ids are int8: at most 18 digits keeps them below 2^63. */
const RATED_USAGE_ID = /^[0-9]{1,18}$/;

export interface CustomerScope {
  readonly tenantId: string;
  readonly customerId: string;
}

/**
 * Whether the resource of `kind` with id `id` belongs to the customer, within the tenant: one
 * query by primary key, joined to the account that holds the resource (every account-owned row
 * carries account_id, and every account names its customer). An id that is not even well formed
 * belongs to nobody. Invoices still in draft belong to nobody yet: a customer sees what was issued.
 */
export async function customerOwns(
  db: Kysely<Database>,
  scope: CustomerScope,
  kind: OwnedKind,
  id: string,
): Promise<boolean> {
  if (kind === 'rated_usage') return RATED_USAGE_ID.test(id) && ownsRatedUsage(db, scope, BigInt(id));
  if (!UUID.test(id)) return false;
  switch (kind) {
    case 'customer':
      return id.toLowerCase() === scope.customerId.toLowerCase();
    case 'account':
      return found(
        db
          .selectFrom('accounts')
          .select(sql<number>`1`.as('one'))
          .where('tenant_id', '=', scope.tenantId)
          .where('id', '=', id)
          .where('customer_id', '=', scope.customerId),
      );
    case 'subscription':
      return found(
        db
          .selectFrom('subscriptions as s')
          .innerJoin('accounts as a', (join) =>
            join.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.account_id'),
          )
          .select(sql<number>`1`.as('one'))
          .where('s.tenant_id', '=', scope.tenantId)
          .where('s.id', '=', id)
          .where('a.customer_id', '=', scope.customerId),
      );
    case 'invoice':
      return found(
        db
          .selectFrom('invoices as i')
          .innerJoin('accounts as a', (join) =>
            join.onRef('a.tenant_id', '=', 'i.tenant_id').onRef('a.id', '=', 'i.account_id'),
          )
          .select(sql<number>`1`.as('one'))
          .where('i.tenant_id', '=', scope.tenantId)
          .where('i.id', '=', id)
          .where('i.status', '<>', 'draft')
          .where('a.customer_id', '=', scope.customerId),
      );
    case 'payment':
      return found(
        db
          .selectFrom('payments as p')
          .innerJoin('accounts as a', (join) =>
            join.onRef('a.tenant_id', '=', 'p.tenant_id').onRef('a.id', '=', 'p.account_id'),
          )
          .select(sql<number>`1`.as('one'))
          .where('p.tenant_id', '=', scope.tenantId)
          .where('p.id', '=', id)
          .where('a.customer_id', '=', scope.customerId),
      );
  }
}

async function ownsRatedUsage(db: Kysely<Database>, scope: CustomerScope, id: bigint): Promise<boolean> {
  return found(
    db
      .selectFrom('rated_usage as r')
      .innerJoin('accounts as a', (join) =>
        join.onRef('a.tenant_id', '=', 'r.tenant_id').onRef('a.id', '=', 'r.account_id'),
      )
      .select(sql<number>`1`.as('one'))
      .where('r.id', '=', id)
      .where('r.tenant_id', '=', scope.tenantId)
      .where('a.customer_id', '=', scope.customerId),
  );
}

async function found(query: { executeTakeFirst(): Promise<unknown> }): Promise<boolean> {
  return (await query.executeTakeFirst()) !== undefined;
}
