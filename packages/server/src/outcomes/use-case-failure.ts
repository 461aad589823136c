/**
 * The business outcomes of use cases that are not a success: values, not exceptions (DESIGN.md
 * section 8). Every capability speaks these four; the HTTP layer turns them into problem
 * documents in one place (http/failure-problem.ts), the CLI prints their message.
 */
export type UseCaseFailure =
  | { readonly ok: false; readonly code: 'not_found'; readonly message: string }
  | { readonly ok: false; readonly code: 'invalid'; readonly field: string; readonly message: string }
  | {
      readonly ok: false;
      readonly code: 'conflict';
      readonly field: string | null;
      readonly message: string;
    }
  | { readonly ok: false; readonly code: 'unprocessable'; readonly field: string; readonly message: string };

export function notFound(message: string): UseCaseFailure {
  return { ok: false, code: 'not_found', message };
}

/** The request itself is wrong, whatever is stored: 400 naming the field. */
export function invalid(field: string, message: string): UseCaseFailure {
  return { ok: false, code: 'invalid', field, message };
}

/** The request is refused in the current state: 409, naming the state (and the field, if one). */
export function conflict(message: string, field: string | null = null): UseCaseFailure {
  return { ok: false, code: 'conflict', field, message };
}

/** Each field is valid, but together they (or they and what is stored) are not: 422 naming the field. */
export function unprocessable(field: string, message: string): UseCaseFailure {
  return { ok: false, code: 'unprocessable', field, message };
}
