import Stripe from 'stripe';
import type { GatewayError } from './payment-gateway.js';

const { StripeAPIError, StripeConnectionError, StripeError, StripeRateLimitError } = Stripe.errors;

/**
 * A failed Stripe request as a gateway error:
 * - unavailable when the outcome is unknown or Stripe asks to come back later (no connection, a
 *   timeout, a 5xx, 409 for a request with the same key still running, 429): the caller retries with
 *   the same idempotency key, so the retry can never charge twice;
 * - invalid_request when Stripe refused the request itself (other 4xx), with Stripe's message.
 * Anything that is not a Stripe error is a bug in Tollgate and is thrown on.
 */
export function stripeFailure(error: unknown): GatewayError {
  if (!(error instanceof StripeError)) throw error;
  const message = `Stripe: ${error.message}`;
  if (isOutcomeUnknown(error)) return { code: 'unavailable', message };
  return { code: 'invalid_request', message };
}

function isOutcomeUnknown(error: InstanceType<typeof StripeError>): boolean {
  return (
    error instanceof StripeConnectionError ||
    error instanceof StripeAPIError ||
    error instanceof StripeRateLimitError ||
    error.statusCode === 409 ||
    (error.statusCode !== undefined && error.statusCode >= 500)
  );
}
