/**
 * The business outcomes of the accounts use cases that are not a success. They are values, not
 * exceptions (DESIGN.md section 8); the routes turn them into problem documents in one place
 * (failure-problem.ts).
 */
export type AccountFailure =
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  | { readonly ok: false; readonly code: 'invalid'; readonly field: string; readonly message: string }
  | {
      readonly ok: false;
      readonly code: 'conflict';
      readonly field: string | null;
      readonly message: string;
    }
  | { readonly ok: false; readonly code: 'unprocessable'; readonly field: string; readonly message: string };

export function notFound(message: string): AccountFailure {
  return { ok: false, code: 'not_found', message };
}

/** The request itself is wrong, whatever the state: 400 naming the field. */
export function invalid(field: string, message: string): AccountFailure {
  return { ok: false, code: 'invalid', field, message };
}

/** The request is refused in the current state: 409, naming the state (and the field, if one). */
export function conflict(message: string, field: string | null = null): AccountFailure {
  return { ok: false, code: 'conflict', field, message };
}

/** Each field is valid, but together they (or they and what is stored) are not: 422 naming the field. */
export function unprocessable(field: string, message: string): AccountFailure {
  return { ok: false, code: 'unprocessable', field, message };
}
