/**
 * The business outcomes of the billing reference use cases (profile, tax rules, exchange rates,
 * discounts, one-time charges) that are not a success: values, not exceptions (DESIGN.md
 * section 8). The routes turn them into problem documents in one place
 * (billing-reference-problem.ts).
 */
export type BillingReferenceFailure =
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  | { readonly ok: false; readonly code: 'invalid'; readonly field: string; readonly message: string }
  | {
      readonly ok: false;
      readonly code: 'conflict';
      readonly field: string | null;
      readonly message: string;
    }
  | { readonly ok: false; readonly code: 'unprocessable'; readonly field: string; readonly message: string };

export function notFound(message: string): BillingReferenceFailure {
  return { ok: false, code: 'not_found', message };
}

/** The request itself is wrong, whatever is stored: 400 naming the field. */
export function invalid(field: string, message: string): BillingReferenceFailure {
  return { ok: false, code: 'invalid', field, message };
}

/** The request is refused in the current state (a closed account, an invoiced charge): 409. */
export function conflict(message: string, field: string | null = null): BillingReferenceFailure {
  return { ok: false, code: 'conflict', field, message };
}

/** Valid on its own, but at odds with what is stored (a plan that does not exist): 422 naming the field. */
export function unprocessable(field: string, message: string): BillingReferenceFailure {
  return { ok: false, code: 'unprocessable', field, message };
}
