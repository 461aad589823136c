import type { FastifyReply } from 'fastify';

/**
 * The catalogue of API error codes: every error the API returns is one of these, as an RFC 9457
 * problem document (`application/problem+json`). Codes are stable snake_case; clients branch on
 * them, people read `title` and `detail`.
 */
export const PROBLEM_TYPES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  unauthenticated: { status: 401, title: 'An API key is required' },
  payment_declined: { status: 402, title: 'The payment method was declined; nothing was charged' },
  forbidden: { status: 403, title: 'The API key lacks the role this needs' },
  not_found: { status: 404, title: 'Not found' },
  idempotency_key_reused: { status: 409, title: 'The idempotency key was used for another request' },
  idempotency_key_in_progress: { status: 409, title: 'A request with this idempotency key is still running' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'The body must be application/json' },
  unprocessable: { status: 422, title: 'The request cannot be carried out' },
  insufficient_balance: { status: 422, title: 'The balance cannot pay this: it would go below its floor' },
  voucher_not_redeemable: { status: 422, title: 'The voucher code cannot be redeemed' },
  account_locked: { status: 423, title: 'The account is locked after repeated failed sign-ins' },
  unknown_subscriber: { status: 404, title: 'No line holds this subscriber identity' },
  unknown_session: { status: 404, title: 'No such charging session' },
  session_expired: { status: 409, title: 'The charging session lapsed: its grant was not reported in time' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Not ready' },
  charging_unavailable: {
    status: 503,
    title: 'The balance store could not answer; nothing was charged; retry',
  },
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  /** JSON pointer-like path of the field, e.g. `/email` or `/taxExemptions/0/certificate`. */
  readonly field: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

/** Thrown by routes and plugins for an expected failure; the error handler turns it into a problem. */
export class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function problemDocument(
  code: ProblemCode,
  detail: string,
  errors?: readonly FieldError[],
): ProblemDocument {
  const { status, title } = PROBLEM_TYPES[code];
  return {
    type: `https://tollgate.dev/problems/${code.replaceAll('_', '-')}`,
    title,
    status,
    code,
    detail,
    ...(errors === undefined || errors.length === 0 ? {} : { errors }),
  };
}

export function sendProblem(reply: FastifyReply, document: ProblemDocument): FastifyReply {
  return reply.status(document.status).type('application/problem+json').send(document);
}
