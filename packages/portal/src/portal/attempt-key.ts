import { useRef } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client.js';

/**
 * The Idempotency-Key of a form's submission attempt. The same request sent again (a double
 * click, or a retry after a network failure or an unanswered gateway) reuses the key, so the
 * server answers with the first outcome instead of paying or storing twice. Changing the request,
 * or `settle` after an outcome the customer has seen (paid, declined), starts a new attempt.
 */
export function useAttemptKey(): { keyFor(request: unknown): string; settle(): void } {
  const attempt = useRef<{ key: string; request: string } | null>(null);
  return {
    keyFor(request) {
      const text = JSON.stringify(request);
      if (attempt.current === null || attempt.current.request !== text)
        attempt.current = { key: newIdempotencyKey(), request: text };
      return attempt.current.key;
    },
    settle() {
      attempt.current = null;
    },
  };
}

/**
 * Whether a failed request certainly did nothing (the server refused it: a 4xx other than a
 * duplicate still in progress), so the next attempt may carry a new key. Without an answer, or
 * on a 5xx, the outcome is unknown and the retry must reuse the key.
 */
export function certainlyRefused(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.code !== 'idempotency_key_in_progress'
  );
}
