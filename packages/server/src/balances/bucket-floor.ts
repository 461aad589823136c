import type { AccountKind } from '../accounts/account-tables.js';

/**
 * The lowest a bucket's `balance - reserved` may reach, or null when nothing limits it. Only the
 * main money bucket of a postpaid or hybrid account may go below zero, down to minus the credit
 * limit; a postpaid account without a limit is invoiced for whatever it spends. A hybrid account
 * without a limit spends its balance like a prepaid one: debt needs a declared limit.
 * Allowances and every other bucket stop at zero.
 */
export function bucketFloor(
  bucket: { readonly is_main: boolean },
  account: { readonly kind: AccountKind; readonly credit_limit_micros: bigint | null },
): bigint | null {
  if (!bucket.is_main || account.kind === 'prepaid') return 0n;
  if (account.credit_limit_micros !== null) return -account.credit_limit_micros;
  return account.kind === 'postpaid' ? null : 0n;
}

/** What a bucket can still pay: balance less reservations, down to its floor; null: no limit. */
export function availableAbove(balance: bigint, reserved: bigint, floor: bigint | null): bigint | null {
  if (floor === null) return null;
  const available = balance - reserved - floor;
  return available > 0n ? available : 0n;
}
