import { dayOfIsoDate, isoDateOfDay } from '../billing/bill-cycle.js';
import { fail, ok, type Result } from '../result.js';

/**
 * What a dunning step does when its day comes:
 * - reminder: tell the customer (before, on or after the due date);
 * - retry: charge the overdue amount to the default payment method again;
 * - late_fee: add a fee to the next invoice (a fixed amount, or a percentage of what is overdue);
 * - suspend: charging refuses new usage (emergency numbers excepted) until the overdue amount is paid;
 * - terminate: the account's lines end; paying no longer restores them;
 * - write_off: what is still unpaid is written off and the case closes.
 */
export type DunningAction = 'reminder' | 'retry' | 'late_fee' | 'suspend' | 'terminate' | 'write_off';

export const DUNNING_ACTIONS: readonly DunningAction[] = [
  'reminder',
  'retry',
  'late_fee',
  'suspend',
  'terminate',
  'write_off',
];

/** A step of a policy, on a day counted from the due date of the oldest unpaid invoice. */
export interface DunningStep {
  /** Days after the due date (negative: before it; 0: on it). */
  readonly day: number;
  readonly action: DunningAction;
  /** Whether the customer is told of the step (reminders always are). */
  readonly notify?: boolean;
  /** late_fee: a fixed amount in micro-units of the account's currency, as decimal text. */
  readonly feeMicros?: string;
  /** late_fee: a percentage of the overdue amount, as decimal text ("1.5"). */
  readonly feePercent?: string;
}

const MAX_STEPS = 50;
const MAX_DAY = 730;
const ORDER: Record<DunningAction, number> = {
  reminder: 0,
  retry: 0,
  late_fee: 0,
  suspend: 1,
  terminate: 2,
  write_off: 3,
};

/**
 * Checks a policy's steps and returns them in the order they run (by day; on the same day in
 * the order given). Suspension, termination and write-off come in that order, each at most once,
 * and none before the grace period has passed.
 */
export function checkDunningSteps(steps: readonly DunningStep[], graceDays: number): Result<DunningStep[]> {
  if (steps.length === 0 || steps.length > MAX_STEPS)
    return fail('invalid_steps', `a policy has between 1 and ${MAX_STEPS} steps`);
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 365)
    return fail('invalid_steps', 'graceDays must be a whole number of days between 0 and 365');
  for (const [index, step] of steps.entries()) {
    const where = `steps[${index}]`;
    if (!Number.isInteger(step.day) || step.day < -MAX_DAY || step.day > MAX_DAY)
      return fail('invalid_steps', `${where}.day must be a whole number between ${-MAX_DAY} and ${MAX_DAY}`);
    if (!DUNNING_ACTIONS.includes(step.action))
      return fail('invalid_steps', `${where}.action must be one of ${DUNNING_ACTIONS.join(', ')}`);
    if (step.action === 'late_fee') {
      const fixed = step.feeMicros !== undefined;
      const percent = step.feePercent !== undefined;
      if (fixed === percent)
        return fail('invalid_steps', `${where}: a late fee has either feeMicros or feePercent`);
      if (fixed && !/^[1-9][0-9]{0,14}$/.test(step.feeMicros ?? ''))
        return fail('invalid_steps', `${where}.feeMicros must be a positive whole number of micro-units`);
      if (percent && !/^(100(\.0+)?|[0-9]{1,2}(\.[0-9]{1,4})?)$/.test(step.feePercent ?? ''))
        return fail('invalid_steps', `${where}.feePercent must be a percentage between 0 and 100`);
      if (percent && Number(step.feePercent) === 0)
        return fail('invalid_steps', `${where}.feePercent must be above 0`);
    } else if (step.feeMicros !== undefined || step.feePercent !== undefined) {
      return fail('invalid_steps', `${where}: only a late_fee step has a fee`);
    }
    if (ORDER[step.action] > 0 && step.day < graceDays)
      return fail(
        'invalid_steps',
        `${where}: ${step.action} on day ${step.day} falls inside the ${graceDays}-day grace period`,
      );
  }
  const ordered = steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.day - b.step.day || a.index - b.index)
    .map(({ step }) => step);
  let rank = 0;
  for (const step of ordered) {
    const stepRank = ORDER[step.action];
    if (stepRank === 0) continue;
    if (stepRank <= rank)
      return fail(
        'invalid_steps',
        'suspend, terminate and write_off come at most once each, in that order, on later days',
      );
    rank = stepRank;
  }
  return ok(ordered);
}

/** A step that has come due, and whether it still needs doing or a later one overtook it. */
export interface DueDunningStep {
  readonly index: number;
  readonly step: DunningStep;
  /** The ISO date the step was planned for. */
  readonly scheduledOn: string;
  /**
   * 'run', or 'skip' for a reminder or retry that a later reminder or retry due by now has
   * overtaken (the sweep did not run for some days): the customer gets one reminder, not five.
   */
  readonly disposition: 'run' | 'skip';
}

/**
 * The steps of an open case due by `today` (ISO date), from the first not yet done. Each step
 * runs once (the caller records it); a step due while an earlier one still waits runs after it.
 */
export function dueDunningSteps(
  steps: readonly DunningStep[],
  anchorDueOn: string,
  stepsDone: number,
  today: string,
): DueDunningStep[] {
  const anchor = dayOfIsoDate(anchorDueOn);
  const todayNumber = dayOfIsoDate(today);
  const due: DueDunningStep[] = [];
  for (let index = stepsDone; index < steps.length; index += 1) {
    const step = steps[index] as DunningStep;
    const day = anchor + step.day;
    if (day > todayNumber) break;
    due.push({ index, step, scheduledOn: isoDateOfDay(day), disposition: 'run' });
  }
  return due.map((entry, position) => {
    const overtaken =
      (entry.step.action === 'reminder' || entry.step.action === 'retry') &&
      due.slice(position + 1).some((later) => later.step.action === entry.step.action);
    return overtaken ? { ...entry, disposition: 'skip' } : entry;
  });
}

/** The date of the earliest step of the policy for an invoice due on `dueOn`: when a case opens. */
export function firstDunningDay(steps: readonly DunningStep[], dueOn: string): string {
  const first = steps[0];
  if (first === undefined) throw new Error('a dunning policy has at least one step');
  return isoDateOfDay(dayOfIsoDate(dueOn) + first.day);
}

/** The late fee of a step on an overdue amount, in micro-units (a percentage rounds half up). */
export function lateFeeMicros(step: DunningStep, overdueMicros: bigint): bigint {
  if (step.feeMicros !== undefined) return BigInt(step.feeMicros);
  const [whole = '0', fraction = ''] = (step.feePercent ?? '0').split('.');
  const scale = 10n ** BigInt(fraction.length);
  const percentScaled = BigInt(whole) * scale + BigInt(fraction === '' ? '0' : fraction);
  const numerator = overdueMicros * percentScaled;
  const denominator = 100n * scale;
  return (numerator + denominator / 2n) / denominator;
}
