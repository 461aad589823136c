/** Outcomes of the invoice use cases that are not a success: values, turned into HTTP in one place. */
export type InvoiceFailure =
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  | { readonly ok: false; readonly code: 'invalid'; readonly field: string; readonly message: string }
  | { readonly ok: false; readonly code: 'conflict'; readonly message: string };

export function notFound(message: string): InvoiceFailure {
  return { ok: false, code: 'not_found', message };
}

export function invalid(field: string, message: string): InvoiceFailure {
  return { ok: false, code: 'invalid', field, message };
}

export function conflict(message: string): InvoiceFailure {
  return { ok: false, code: 'conflict', message };
}
