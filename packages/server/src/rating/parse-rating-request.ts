import { fail, ok, type Problem, parseQuantity, type RatingRequest, type Result } from '@tollgate/core';

/** A rating request as JSON: `{"id","tenant","category","subject","destination","answerTime","usage"}`. */
export interface RatingRequestInput {
  readonly id?: unknown;
  readonly tenant?: unknown;
  readonly category?: unknown;
  readonly subject?: unknown;
  readonly destination?: unknown;
  readonly answerTime?: unknown;
  readonly usage?: unknown;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const MAX_FIELD_LENGTH = 256;

/**
 * Turns untrusted input into a RatingRequest, or a problem naming the field at fault. Unknown
 * fields are ignored; `defaultTenant` fills a missing tenant.
 */
export function parseRatingRequest(
  input: RatingRequestInput,
  defaultTenant?: string,
): Result<RatingRequest, Problem> {
  const tenant = input.tenant ?? defaultTenant;
  const fields = { tenant, category: input.category, subject: input.subject } as const;
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIELD_LENGTH) {
      return fail('invalid_request', `field "${name}" must be a non-empty string`);
    }
  }
  const destination = input.destination ?? '';
  if (typeof destination !== 'string' || destination.length > MAX_FIELD_LENGTH) {
    return fail('invalid_request', 'field "destination" must be a string');
  }
  const answerTime = input.answerTime;
  const answerTimeMs =
    typeof answerTime === 'string' && ISO_INSTANT.test(answerTime) ? Date.parse(answerTime) : Number.NaN;
  if (Number.isNaN(answerTimeMs)) {
    return fail(
      'invalid_request',
      `field "answerTime" must be an ISO 8601 instant with a zone (got ${JSON.stringify(answerTime)})`,
    );
  }
  if (typeof input.usage !== 'string' && typeof input.usage !== 'number') {
    return fail('invalid_request', 'field "usage" must be a duration ("45s", "PT45S") or a count of units');
  }
  const usage = parseQuantity(input.usage);
  if (!usage.ok) return fail('invalid_request', `field "usage": ${usage.error.message}`);
  return ok({
    tenant: tenant as string,
    category: input.category as string,
    subject: input.subject as string,
    destination,
    answerTimeMs,
    usage: usage.value,
  });
}
