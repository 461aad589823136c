import type { BucketState } from '@tollgate/core';
import type { AccountKind } from '../accounts/account-tables.js';
import { bucketFloor } from './bucket-floor.js';

/** A bucket row read with its account's kind and credit limit, as bulk paths lock them. */
export interface LockedBucketRow {
  readonly id: string;
  readonly account_id: string;
  readonly kind: 'money' | 'allowance';
  readonly unit: string;
  readonly service: string | null;
  readonly subscription_id: string | null;
  readonly priority: number;
  readonly valid_from: Date;
  readonly valid_to: Date | null;
  readonly balance: bigint | string;
  readonly reserved: bigint | string;
  readonly is_main: boolean;
  readonly account_kind: AccountKind;
  readonly credit_limit_micros: bigint | null;
}

/** The columns of a LockedBucketRow, for `select ... from balance_buckets b join accounts a`. */
export const LOCKED_BUCKET_COLUMNS = `b.id, b.account_id, b.kind, b.unit, b.service, b.subscription_id, b.priority,
  b.valid_from, b.valid_to, b.balance, b.reserved, b.is_main, a.kind as account_kind, a.credit_limit_micros`;

/** A postpaid main bucket without a credit limit: invoiced for whatever it spends. */
export const NO_FLOOR = -(2n ** 62n);

/** The working copy of a locked bucket that the pure charging rules read and lower. */
export function bucketStateOf(row: LockedBucketRow): BucketState {
  return {
    id: row.id,
    kind: row.kind,
    unit: row.unit,
    service: row.service,
    subscriptionId: row.subscription_id,
    priority: row.priority,
    validFromMs: row.valid_from.getTime(),
    validToMs: row.valid_to?.getTime() ?? null,
    floor:
      bucketFloor(row, { kind: row.account_kind, credit_limit_micros: row.credit_limit_micros }) ?? NO_FLOOR,
    balance: BigInt(row.balance),
    reserved: BigInt(row.reserved),
  };
}
