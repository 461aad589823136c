const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The wait after the 1st, 2nd, ... failed attempt; after the last, every 12 h. */
export const RETRY_DELAYS_MS: readonly number[] = [
  MINUTE_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
];
export const LATER_RETRY_DELAY_MS = 12 * HOUR_MS;
/** A delivery is retried until this long after its event occurred, then it is dead. */
export const RETRY_WINDOW_MS = 3 * 24 * HOUR_MS;

/**
 * When to try a delivery again after its attempt number `attempt` (from 1) failed at attemptedAt,
 * or null when that would be past the retry window of its event: the delivery is then dead. No
 * jitter: the times follow from the clock alone, so tests and operators can predict them; the
 * spread comes from events occurring at different times.
 *
 * From an event at t0, attempts made on time go out at t0, +1 min, +6 min, +36 min, +2 h 36,
 * +7 h 36, +17 h 36, +29 h 36, +41 h 36, +53 h 36 and +65 h 36; the next would be +77 h 36, past
 * 72 h, so the 11th failure makes the delivery dead.
 */
export function nextWebhookAttemptAt(occurredAt: Date, attemptedAt: Date, attempt: number): Date | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt ${attempt} is not a count from 1`);
  const delayMs = RETRY_DELAYS_MS[attempt - 1] ?? LATER_RETRY_DELAY_MS;
  const next = attemptedAt.getTime() + delayMs;
  return next > occurredAt.getTime() + RETRY_WINDOW_MS ? null : new Date(next);
}
