import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AccountTable } from '../accounts/account-tables.js';
import type { Database } from '../db/database-schema.js';
import type { BucketView } from './balance-schemas.js';
import type { BalanceBucketTable } from './balance-tables.js';
import { formatBucketAmount } from './bucket-amount.js';
import { availableAbove, bucketFloor } from './bucket-floor.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type BucketRow = Selectable<BalanceBucketTable>;
type AccountFloorFields = Pick<Selectable<AccountTable>, 'kind' | 'credit_limit_micros'>;

export function toBucketView(row: BucketRow, account: AccountFloorFields): BucketView {
  const available = availableAbove(row.balance, row.reserved, bucketFloor(row, account));
  return {
    id: row.id,
    kind: row.kind,
    unit: row.unit,
    service: row.service,
    subscriptionId: row.subscription_id,
    isMain: row.is_main,
    label: row.label,
    priority: row.priority,
    validFrom: row.valid_from.toISOString(),
    validTo: row.valid_to?.toISOString() ?? null,
    balance: formatBucketAmount(row.balance, row.unit),
    reserved: formatBucketAmount(row.reserved, row.unit),
    available: available === null ? null : formatBucketAmount(available, row.unit),
  };
}

/** An account's buckets in the order they are spent: priority, then the one lapsing first. */
export async function listBuckets(db: Executor, tenantId: string, accountId: string): Promise<BucketRow[]> {
  return db
    .selectFrom('balance_buckets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .orderBy('priority')
    .orderBy('valid_to', (o) => o.asc().nullsLast())
    .orderBy('id')
    .execute();
}

/** The account's main money bucket; every account has one (created with it). */
export async function findMainBucket(db: Executor, tenantId: string, accountId: string): Promise<BucketRow> {
  return db
    .selectFrom('balance_buckets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('is_main', '=', true)
    .executeTakeFirstOrThrow(() => new Error(`account ${accountId} has no main bucket`));
}
