import type { ClaimedDelivery } from './claim-due-deliveries.js';
import { SIGNATURE_HEADER, signWebhookPayload } from './sign-webhook-payload.js';
import { webhookEventPayload } from './webhook-event-payload.js';

export const USER_AGENT = 'Tollgate-Webhooks/1';
/** How much of a refusing receiver's answer is kept in the attempt log. */
const RESPONSE_EXCERPT_BYTES = 500;
/** Longest error text kept. */
const MAX_ERROR_LENGTH = 1000;

export interface WebhookAttemptOutcome {
  readonly attemptedAt: Date;
  /** The HTTP status, or null when no answer came (refused connection, timeout). */
  readonly statusCode: number | null;
  /** Why the attempt failed: the network error, or the start of a non-2xx answer's body. */
  readonly error: string | null;
  readonly durationMs: number;
  readonly delivered: boolean;
}

export interface SendWebhookOptions {
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/**
 * One HTTP POST of a delivery: the body is serialised once, and those bytes are both signed and
 * sent. Any 2xx is delivered; everything else (3xx included: redirects are not followed, since
 * a signed request must reach the URL the tenant configured) is a failed attempt. Never throws:
 * every failure is an outcome to record.
 */
export async function sendWebhook(
  delivery: ClaimedDelivery,
  options: SendWebhookOptions,
): Promise<WebhookAttemptOutcome> {
  const attemptedAt = options.now();
  const body = JSON.stringify(webhookEventPayload(delivery.event));
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'Tollgate-Event-Id': delivery.event.id,
    'Tollgate-Event-Type': delivery.event.type,
    'Tollgate-Delivery-Id': delivery.id,
    [SIGNATURE_HEADER]: signWebhookPayload(body, delivery.endpoint.secret, attemptedAt.getTime()),
  };
  const started = performance.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const response = await options.fetch(delivery.endpoint.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal,
    });
    const delivered = response.status >= 200 && response.status < 300;
    const excerpt = delivered ? await discardBody(response) : await bodyExcerpt(response);
    return { attemptedAt, statusCode: response.status, error: excerpt, durationMs: elapsed(), delivered };
  } catch (error) {
    return {
      attemptedAt,
      statusCode: null,
      error: signal.aborted ? `no answer within ${options.timeoutMs} ms` : describeError(error),
      durationMs: elapsed(),
      delivered: false,
    };
  }
}

/** The answer's body is not needed; cancelling it frees the connection. */
async function discardBody(response: Response): Promise<null> {
  await response.body?.cancel().catch(() => undefined);
  return null;
}

/** The start of a refusing answer's body ("invalid signature"), for the delivery log; null if empty. */
async function bodyExcerpt(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (reader === undefined) return null;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    // Bounded: every read that is not done brings at least one byte.
    while (bytes < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
    }
  } catch {
    // The answer's status is what counts; a body cut off by the timeout leaves a shorter excerpt.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').trim();
  return text === '' ? null : text;
}

/** fetch's own message is "fetch failed"; the cause says what failed (ECONNREFUSED, a DNS error). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, MAX_ERROR_LENGTH);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, MAX_ERROR_LENGTH);
}
