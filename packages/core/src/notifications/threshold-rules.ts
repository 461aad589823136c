import { type Decimal, parseDecimal, pow10 } from '../money/decimal.js';
import { fail, ok, type Result } from '../result.js';

/**
 * What a notification rule watches (bill-shock protection, docs/bill-shock.md). Levels are
 * decimal texts whose meaning depends on the kind:
 * - allowance_used, credit_used: percentages of an allowance or a credit limit used (rising);
 * - cycle_spend: micro-units spent in the bill cycle (rising);
 * - balance_below: micro-units of prepaid balance (falling: fires when the balance is at or below);
 * - unusual_usage: factors of the line's average daily spend (rising);
 * - roaming_first_use: no levels that matter (the first use fires); one level, conventionally '1'.
 */
export type ThresholdKind =
  | 'allowance_used'
  | 'cycle_spend'
  | 'balance_below'
  | 'credit_used'
  | 'roaming_first_use'
  | 'unusual_usage';

export const THRESHOLD_KINDS: readonly ThresholdKind[] = [
  'allowance_used',
  'cycle_spend',
  'balance_below',
  'credit_used',
  'roaming_first_use',
  'unusual_usage',
];

/** Which way a kind's observation must move to cross a level. */
export function directionOf(kind: ThresholdKind): 'rising' | 'falling' {
  return kind === 'balance_below' ? 'falling' : 'rising';
}

/** The levels used when no rule of the tenant, plan, account or line names the kind. */
export const DEFAULT_THRESHOLD_LEVELS: Readonly<Partial<Record<ThresholdKind, readonly string[]>>> = {
  allowance_used: ['50', '80', '100'],
  credit_used: ['80', '100'],
};

/** At most this many levels per rule: a bound on every loop over them. */
export const MAX_THRESHOLD_LEVELS = 20;

/** An exact observation: numerator / denominator (denominator > 0), e.g. used × 100 / granted. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function ratio(numerator: bigint, denominator = 1n): Ratio {
  if (denominator <= 0n) throw new RangeError(`ratio: denominator ${denominator} is not positive`);
  return { numerator, denominator };
}

/** A percentage of a whole, exactly: part × 100 / whole; null when the whole is not positive. */
export function percentOf(part: bigint, whole: bigint): Ratio | null {
  return whole > 0n ? ratio(part * 100n, whole) : null;
}

/** -1, 0 or 1 as the level (a decimal) is below, at or above the observation. */
function compareLevel(level: Decimal, value: Ratio): -1 | 0 | 1 {
  // level = c / 10^s; compare c × den with num × 10^s.
  const left = level.coefficient * value.denominator;
  const right = value.numerator * pow10(level.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The levels an observation crossed going from `before` to `after`, in the order given.
 * Rising: before < level ≤ after (70 → 85 crosses 80; 85 → 86 nothing; 40 → 100 crosses 50, 80
 * and 100). Falling: after ≤ level < before. `before` null: nothing was seen before, so every
 * level already reached counts (the once-per-cycle record then keeps each from firing twice).
 */
export function crossedLevels(
  levels: readonly string[],
  before: Ratio | null,
  after: Ratio,
  direction: 'rising' | 'falling' = 'rising',
): string[] {
  if (levels.length > MAX_THRESHOLD_LEVELS)
    throw new RangeError(`at most ${MAX_THRESHOLD_LEVELS} levels, got ${levels.length}`);
  const crossed: string[] = [];
  for (const text of levels) {
    const parsed = parseDecimal(text);
    if (!parsed.ok) throw new RangeError(`level "${text}" is not a decimal`);
    const level = parsed.value;
    const reached =
      direction === 'rising' ? compareLevel(level, after) <= 0 : compareLevel(level, after) >= 0;
    if (!reached) continue;
    const already =
      before !== null &&
      (direction === 'rising' ? compareLevel(level, before) <= 0 : compareLevel(level, before) >= 0);
    if (!already) crossed.push(text);
  }
  return crossed;
}

/** Where a rule applies. */
export type ThresholdScope = 'tenant' | 'plan' | 'account' | 'subscription';

export interface ThresholdRule {
  readonly scope: ThresholdScope;
  /** Null for the tenant scope; the plan, account or subscription id otherwise. */
  readonly scopeId: string | null;
  readonly kind: ThresholdKind;
  readonly levels: readonly string[];
  readonly enabled: boolean;
}

/** The line (or account, when subscriptionId is null) a rule is resolved for. */
export interface ThresholdTarget {
  readonly accountId: string;
  readonly subscriptionId: string | null;
  readonly planId: string | null;
}

const SCOPE_ORDER: readonly ThresholdScope[] = ['subscription', 'account', 'plan', 'tenant'];

/**
 * The levels that apply to a target for one kind: the rule of the line, else of the account,
 * else of the plan, else of the tenant, else the defaults. The most specific rule wins even when
 * disabled: a disabled rule turns the kind off for its scope (empty levels).
 */
export function resolveThresholdLevels(
  rules: readonly ThresholdRule[],
  target: ThresholdTarget,
  kind: ThresholdKind,
): readonly string[] {
  for (const scope of SCOPE_ORDER) {
    const id =
      scope === 'subscription'
        ? target.subscriptionId
        : scope === 'account'
          ? target.accountId
          : scope === 'plan'
            ? target.planId
            : null;
    if (scope !== 'tenant' && id === null) continue;
    const rule = rules.find((r) => r.kind === kind && r.scope === scope && r.scopeId === id);
    if (rule !== undefined) return rule.enabled ? rule.levels : [];
  }
  return DEFAULT_THRESHOLD_LEVELS[kind] ?? [];
}

/**
 * Checks the levels of a rule from outside: 1..20 distinct plain decimals, none negative;
 * percentages above 0 and at most 1000, amounts whole micro-units, factors above 1.
 */
export function checkThresholdLevels(kind: ThresholdKind, levels: readonly string[]): Result<string[]> {
  if (levels.length === 0 || levels.length > MAX_THRESHOLD_LEVELS)
    return fail('invalid_levels', `a rule has 1 to ${MAX_THRESHOLD_LEVELS} levels`);
  const seen = new Set<string>();
  const normal: string[] = [];
  for (const text of levels) {
    const parsed = parseDecimal(text);
    if (!parsed.ok || text.trim().startsWith('+') || text.trim().startsWith('-'))
      return fail('invalid_levels', `level "${text}" is not a plain decimal number`);
    const { coefficient, scale } = parsed.value;
    const problem = levelProblem(kind, coefficient, scale);
    if (problem !== null) return fail('invalid_levels', `level "${text}": ${problem}`);
    const key = text.trim();
    if (seen.has(key)) return fail('invalid_levels', `level "${text}" is listed twice`);
    seen.add(key);
    normal.push(key);
  }
  return ok(normal);
}

function levelProblem(kind: ThresholdKind, coefficient: bigint, scale: number): string | null {
  const unit = pow10(scale);
  switch (kind) {
    case 'allowance_used':
    case 'credit_used':
      return coefficient > 0n && coefficient <= 1000n * unit ? null : 'a percentage above 0, at most 1000';
    case 'cycle_spend':
    case 'balance_below':
      return coefficient % unit === 0n ? null : 'an amount in whole micro-units';
    case 'unusual_usage':
      return coefficient > unit && coefficient <= 1000n * unit ? null : 'a factor above 1, at most 1000';
    case 'roaming_first_use':
      return coefficient > 0n ? null : 'a positive number (conventionally 1)';
  }
}

/** A day's spend below this (one unit of the currency, in micro-units) is never unusual. */
export const UNUSUAL_USAGE_MIN_DAY_MICROS = 1_000_000n;
/** The days of history an unusual day is compared with. */
export const UNUSUAL_USAGE_HISTORY_DAYS = 30;

/**
 * A day's spend as a multiple of the line's average daily spend over the days before it
 * (spend over `historyDays` ÷ historyDays), or null when it does not count: the day spent less
 * than the minimum, or the line spent nothing before (no average to exceed).
 */
export function unusualUsageFactor(
  daySpendMicros: bigint,
  historySpendMicros: bigint,
  historyDays: number = UNUSUAL_USAGE_HISTORY_DAYS,
  minDaySpendMicros: bigint = UNUSUAL_USAGE_MIN_DAY_MICROS,
): Ratio | null {
  if (!Number.isInteger(historyDays) || historyDays <= 0)
    throw new RangeError(`historyDays must be a positive whole number, got ${historyDays}`);
  if (daySpendMicros < minDaySpendMicros || historySpendMicros <= 0n) return null;
  return ratio(daySpendMicros * BigInt(historyDays), historySpendMicros);
}
