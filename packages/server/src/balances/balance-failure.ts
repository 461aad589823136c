/**
 * The business outcomes of the balance use cases that are not a success: values, not exceptions
 * (DESIGN.md section 8). The routes turn them into problem documents in one place
 * (balance-failure-problem.ts); the CLI prints their message.
 */
export type BalanceFailure =
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  | { readonly ok: false; readonly code: 'invalid'; readonly field: string; readonly message: string }
  | { readonly ok: false; readonly code: 'conflict'; readonly message: string }
  | { readonly ok: false; readonly code: 'insufficient_balance'; readonly message: string }
  | { readonly ok: false; readonly code: 'voucher_not_redeemable'; readonly message: string };

export function notFound(message: string): BalanceFailure {
  return { ok: false, code: 'not_found', message };
}

/** The request itself is wrong, whatever the state: 400 naming the field. */
export function invalid(field: string, message: string): BalanceFailure {
  return { ok: false, code: 'invalid', field, message };
}

/** The request is refused in the current state: 409. */
export function conflict(message: string): BalanceFailure {
  return { ok: false, code: 'conflict', message };
}
