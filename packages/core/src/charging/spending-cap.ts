import { MS_PER_DAY, type ZoneClock } from '../rating/zone-clock.js';

/** A line's spending cap inside a shared account: at most `limitMicros` per day or month. */
export interface SpendingCapState {
  readonly subscriptionId: string;
  readonly limitMicros: bigint;
  readonly period: 'day' | 'month';
  periodStartMs: number;
  spentMicros: bigint;
  /** Money held by the line's pending reservations. */
  reservedMicros: bigint;
}

/** The start of the day or month holding `nowMs`, in the account's time zone. */
export function capPeriodStartMs(clock: ZoneClock, period: 'day' | 'month', nowMs: number): number {
  const local = clock.localTime(nowMs);
  const daysBack = period === 'day' ? 0 : local.monthDay - 1;
  const localStartMs = (local.dayNumber - daysBack) * MS_PER_DAY;
  // The offset at the start may differ from now's (a DST change inside the month).
  const guess = localStartMs - local.offsetMs;
  return localStartMs - clock.offsetAt(guess);
}

/** Starts a new period when `nowMs` has left the stored one: spending counts from zero again. */
export function rollCapPeriod(cap: SpendingCapState, clock: ZoneClock, nowMs: number): void {
  const start = capPeriodStartMs(clock, cap.period, nowMs);
  if (start > cap.periodStartMs) {
    cap.periodStartMs = start;
    cap.spentMicros = 0n;
  }
}

/** What the line may still spend this period, beyond what it has spent and holds. */
export function capRemainingMicros(cap: SpendingCapState | undefined): bigint | null {
  if (cap === undefined) return null;
  const remaining = cap.limitMicros - cap.spentMicros - cap.reservedMicros;
  return remaining > 0n ? remaining : 0n;
}
