/**
 * The API as the browser sees it: same origin, the session cookie sent by the browser, JSON in
 * and out, and RFC 9457 problems turned into ApiError so every screen can show what went wrong.
 */

/** One field's complaint in a validation problem (`field` is a JSON pointer or `query:name`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The message for a field, for forms that show errors beside their inputs. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.endsWith(`/${field}`))?.message;
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /**
   * For POSTs: the key that makes a retry safe. A form makes one per submission attempt
   * (newIdempotencyKey) and reuses it if the user presses the button again after a failure.
   */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network_error',
      'The server cannot be reached. Check the connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) throw problemOf(response.status, body);
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function problemOf(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const problem = body as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
    const code = typeof problem.code === 'string' ? problem.code : `http_${status}`;
    const detail =
      typeof problem.detail === 'string'
        ? problem.detail
        : typeof problem.title === 'string'
          ? problem.title
          : `The server answered ${status}.`;
    const errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    return new ApiError(status, code, detail, errors);
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status}.`);
}

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** A page of a cursor-paginated list, as every /v1 list answers. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | null;
}
