import { type UseMutationResult, useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client.js';

/**
 * Whether a failed request certainly did nothing, so its retry may carry a new idempotency key.
 * The server stores every answer under its key, errors included: retrying a refused request
 * with the same key would replay the refusal even after the cause is fixed. When the outcome is
 * unknown (no answer, a 5xx, a duplicate still in progress) the retry must carry the same key,
 * so the server runs the request at most once.
 */
function certainlyRefused(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'idempotency_key_in_progress') return false;
  return error.status >= 400 && error.status < 500;
}

/**
 * A mutation whose POSTs carry an idempotency key kept across retries of the same submission:
 * the same body sent again (a double click, a retry after a network failure) reuses the key, so
 * it is carried out once; a changed body, a success or a definite refusal starts a new key.
 */
export function useIdempotentMutation<V, R>(options: {
  mutationFn: (variables: V, idempotencyKey: string) => Promise<R>;
  onSuccess?: (result: R, variables: V) => unknown;
}): UseMutationResult<R, Error, V> {
  const attempt = useRef<{ key: string; body: string } | null>(null);
  return useMutation<R, Error, V>({
    mutationFn: (variables) => {
      const body = JSON.stringify(variables);
      if (attempt.current === null || attempt.current.body !== body)
        attempt.current = { key: newIdempotencyKey(), body };
      return options.mutationFn(variables, attempt.current.key);
    },
    onSuccess: async (result, variables) => {
      attempt.current = null;
      await options.onSuccess?.(result, variables);
    },
    onError: (error) => {
      if (certainlyRefused(error)) attempt.current = null;
    },
  });
}

/** The text to show for a failed request: the server's own words when it answered. */
export function errorText(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
