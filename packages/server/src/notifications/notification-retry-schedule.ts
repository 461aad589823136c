const MINUTE_MS = 60_000;

/** The wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final. */
export const NOTIFICATION_RETRY_DELAYS_MS: readonly number[] = [
  MINUTE_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  120 * MINUTE_MS,
];
export const MAX_NOTIFICATION_ATTEMPTS = NOTIFICATION_RETRY_DELAYS_MS.length + 1;

/**
 * When to try a message again after its attempt number `attempt` (from 1) failed at attemptedAt,
 * or null when that was the last: it is then 'failed'. No jitter, as for webhooks: the times
 * follow from the clock, so tests and operators can predict them (attempts at t0, +1 min, +6 min,
 * +36 min, +2 h 36 min).
 */
export function nextNotificationAttemptAt(attemptedAt: Date, attempt: number): Date | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt ${attempt} is not a count from 1`);
  const delayMs = NOTIFICATION_RETRY_DELAYS_MS[attempt - 1];
  return delayMs === undefined ? null : new Date(attemptedAt.getTime() + delayMs);
}
