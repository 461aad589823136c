import type { RatingRequest } from '@tollgate/core';

/** Who the CDRs are rated for: a CDR file carries neither tenant nor service category. */
export interface CdrContext {
  readonly tenant: string;
  readonly category: string;
}

/**
 * The rating request of one voice CDR. Both the in-memory and the file path build requests here,
 * so the engine sees objects of one shape either way and the two measure the same thing.
 */
export function cdrRatingRequest(
  context: CdrContext,
  subject: string,
  destination: string,
  answerTimeMs: number,
  durationMs: number,
): RatingRequest {
  return {
    tenant: context.tenant,
    category: context.category,
    subject,
    destination,
    answerTimeMs,
    usage: { kind: 'duration', durationMs },
  };
}
