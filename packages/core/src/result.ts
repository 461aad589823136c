/**
 * Business outcomes are values, not exceptions: a function that can fail for a reason the caller
 * must handle returns a Result. Exceptions are kept for bugs and broken invariants.
 */
export type Result<T, E = Problem> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A failure with a stable snake_case code (for programs) and a message (for people). */
export interface Problem {
  readonly code: string;
  readonly message: string;
}

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(
  code: C,
  message: string,
): { readonly ok: false; readonly error: { code: C; message: string } } {
  return { ok: false, error: { code, message } };
}
