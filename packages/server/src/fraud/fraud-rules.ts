/**
 * The fraud rule kinds, their parameters and defaults (docs/fraud.md). Pure: no I/O, no clock.
 */
export const FRAUD_RULE_KINDS = [
  'premium_destination',
  'short_call_burst',
  'simultaneous_sessions',
  'spend_spike',
  'unexpected_country',
] as const;
export type FraudRuleKind = (typeof FRAUD_RULE_KINDS)[number];
export type FraudAction = 'alert' | 'bar';
export type FraudCaseStatus = 'open' | 'confirmed' | 'dismissed';

export function isFraudRuleKind(value: string): value is FraudRuleKind {
  return (FRAUD_RULE_KINDS as readonly string[]).includes(value);
}

export interface PremiumDestinationParams {
  /** E.164 digits a destination starts with (no plus): a country code, or a range within one. */
  readonly prefixes: readonly string[];
  /** How far back usage is looked at, from the evaluation: late CDR files are still caught. */
  readonly windowHours: number;
}

export interface ShortCallBurstParams {
  /** At least this many short outgoing calls ... */
  readonly minCalls: number;
  /** ... each at most this long ... */
  readonly maxSeconds: number;
  /** ... to at least this many different numbers ... */
  readonly minDestinations: number;
  /** ... within any window of this length (over the last day of usage). */
  readonly windowMinutes: number;
}

export interface SimultaneousSessionsParams {
  /** More open charging sessions than this on one line fires. */
  readonly maxSessions: number;
}

export interface SpendSpikeParams {
  /** The spend looked at: the last windowHours. */
  readonly windowHours: number;
  /** The baseline: the days before the window (as many of them as the line has usage in). */
  readonly baselineDays: number;
  /** Fires when the window's spend exceeds this many times the baseline's average per window. */
  readonly factor: number;
  /** ... and is at least this amount, in the account's currency (decimal text). */
  readonly minAmount: string;
}

export interface UnexpectedCountryParams {
  readonly windowHours: number;
  readonly baselineDays: number;
  /** Calls to one new country in the window before it fires. */
  readonly minCalls: number;
  /** Lines with fewer calls to numbers in the baseline have no pattern yet and are left alone. */
  readonly minBaselineCalls: number;
  /** Country calling codes never reported (the home country is never reported either). */
  readonly allowedCountries: readonly string[];
}

export interface FraudRuleParams {
  premium_destination: PremiumDestinationParams;
  short_call_burst: ShortCallBurstParams;
  simultaneous_sessions: SimultaneousSessionsParams;
  spend_spike: SpendSpikeParams;
  unexpected_country: UnexpectedCountryParams;
}

export interface FraudRuleSettings<K extends FraudRuleKind = FraudRuleKind> {
  readonly kind: K;
  readonly enabled: boolean;
  readonly action: FraudAction;
  readonly notify: boolean;
  readonly params: FraudRuleParams[K];
}

/**
 * Ranges known from international revenue share fraud (IRSF) and premium-rate abuse: global
 * satellite and international network codes (+881 GMSS, +882 and +883 international networks,
 * +870 Inmarsat, +979 international premium rate), small Pacific, Atlantic and African
 * destinations whose termination rates are high and that fraud hot lists name again and again,
 * Caribbean NANP codes used by "one ring" call-back scams, and national premium-rate ranges
 * (+49 900, +49 137, +44 9, +44 70, +33 89). Operators edit the list to their own traffic.
 */
export const DEFAULT_PREMIUM_PREFIXES: readonly string[] = [
  '881',
  '882',
  '883',
  '870',
  '979',
  '674',
  '677',
  '678',
  '682',
  '683',
  '686',
  '688',
  '690',
  '692',
  '239',
  '246',
  '247',
  '252',
  '290',
  '1268',
  '1284',
  '1473',
  '1649',
  '1664',
  '1767',
  '49900',
  '49137',
  '449',
  '4470',
  '3389',
];

export const DEFAULT_FRAUD_RULES: { readonly [K in FraudRuleKind]: FraudRuleSettings<K> } = {
  premium_destination: {
    kind: 'premium_destination',
    enabled: true,
    action: 'alert',
    notify: true,
    params: { prefixes: DEFAULT_PREMIUM_PREFIXES, windowHours: 24 },
  },
  short_call_burst: {
    kind: 'short_call_burst',
    enabled: true,
    action: 'alert',
    notify: true,
    params: { minCalls: 20, maxSeconds: 10, minDestinations: 10, windowMinutes: 60 },
  },
  simultaneous_sessions: {
    kind: 'simultaneous_sessions',
    enabled: true,
    action: 'alert',
    notify: true,
    params: { maxSessions: 4 },
  },
  spend_spike: {
    kind: 'spend_spike',
    enabled: false,
    action: 'alert',
    notify: true,
    params: { windowHours: 24, baselineDays: 30, factor: 5, minAmount: '20.00' },
  },
  unexpected_country: {
    kind: 'unexpected_country',
    enabled: false,
    action: 'alert',
    notify: true,
    params: { windowHours: 24, baselineDays: 30, minCalls: 3, minBaselineCalls: 10, allowedCountries: [] },
  },
};

export type ParamsCheck<K extends FraudRuleKind> =
  | { readonly ok: true; readonly params: FraudRuleParams[K] }
  | { readonly ok: false; readonly field: string; readonly message: string };

type FieldCheck = (value: unknown) => string | null;

const integer =
  (min: number, max: number): FieldCheck =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : `a whole number from ${min} to ${max}`;
const digitsList =
  (maxItems: number, pattern: RegExp, what: string): FieldCheck =>
  (value) => {
    if (!Array.isArray(value) || value.length > maxItems) return `a list of at most ${maxItems} ${what}`;
    const bad = value.find((item) => typeof item !== 'string' || !pattern.test(item));
    if (bad !== undefined) return `${JSON.stringify(bad)} is not ${what.replace(/s$/, '')}`;
    return new Set(value).size === value.length ? null : 'lists an entry twice';
  };

const CHECKS: { readonly [K in FraudRuleKind]: Record<keyof FraudRuleParams[K], FieldCheck> } = {
  premium_destination: {
    prefixes: digitsList(1000, /^[1-9][0-9]{0,14}$/, 'E.164 digit prefixes (no plus)'),
    windowHours: integer(1, 168),
  },
  short_call_burst: {
    minCalls: integer(2, 100_000),
    maxSeconds: integer(1, 3600),
    minDestinations: integer(1, 100_000),
    windowMinutes: integer(1, 1440),
  },
  simultaneous_sessions: { maxSessions: integer(1, 10_000) },
  spend_spike: {
    windowHours: integer(1, 168),
    baselineDays: integer(1, 365),
    factor: (value) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 1 && value <= 1000
        ? null
        : 'a number from 1 to 1000',
    minAmount: (value) =>
      typeof value === 'string' && /^[0-9]{1,12}(\.[0-9]{1,6})?$/.test(value)
        ? null
        : 'a decimal amount such as "20.00"',
  },
  unexpected_country: {
    windowHours: integer(1, 168),
    baselineDays: integer(1, 365),
    minCalls: integer(1, 100_000),
    minBaselineCalls: integer(0, 100_000),
    allowedCountries: digitsList(300, /^[1-9][0-9]{0,2}$/, 'country calling codes'),
  },
};

/**
 * Checks a rule's parameters: each named one valid for the kind, none unknown. Parameters not
 * named keep their default, so `{ "maxSessions": 8 }` is a whole setting.
 */
export function checkFraudRuleParams<K extends FraudRuleKind>(kind: K, params: unknown): ParamsCheck<K> {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return { ok: false, field: '/params', message: 'an object of the rule parameters' };
  const checks = CHECKS[kind] as Record<string, FieldCheck>;
  for (const [name, value] of Object.entries(params)) {
    const check = checks[name];
    if (check === undefined)
      return {
        ok: false,
        field: `/params/${name}`,
        message: `${kind} has no parameter ${name}; it has ${Object.keys(checks).join(', ')}`,
      };
    const problem = check(value);
    if (problem !== null) return { ok: false, field: `/params/${name}`, message: `must be ${problem}` };
  }
  return { ok: true, params: { ...DEFAULT_FRAUD_RULES[kind].params, ...params } as FraudRuleParams[K] };
}

/** A stored rule's parameters over the defaults: a parameter added later takes its default. */
export function storedParams<K extends FraudRuleKind>(kind: K, stored: unknown): FraudRuleParams[K] {
  const parsed = typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  const checked = checkFraudRuleParams(kind, parsed);
  return checked.ok ? checked.params : DEFAULT_FRAUD_RULES[kind].params;
}

/** Whether a destination (E.164 with or without its plus) starts with one of the prefixes. */
export function matchesPrefix(destination: string, prefixes: readonly string[]): string | null {
  const digits = destination.startsWith('+') ? destination.slice(1) : destination;
  let best: string | null = null;
  for (const prefix of prefixes)
    if (digits.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  return best;
}

export interface TimedCall {
  readonly atMs: number;
  readonly destination: string;
}

export interface BurstFound {
  readonly calls: number;
  readonly destinations: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly sample: readonly string[];
}

/**
 * The busiest window of `windowMinutes` among short calls (sorted by time) that holds at least
 * minCalls calls to at least minDestinations numbers; null when none does. Two pointers over the
 * calls, with a count per destination in the window: linear in the calls.
 */
export function findShortCallBurst(
  calls: readonly TimedCall[],
  params: ShortCallBurstParams,
): BurstFound | null {
  const windowMs = params.windowMinutes * 60_000;
  const inWindow = new Map<string, number>();
  let start = 0;
  let best: BurstFound | null = null;
  for (let end = 0; end < calls.length; end++) {
    const call = calls[end]!;
    inWindow.set(call.destination, (inWindow.get(call.destination) ?? 0) + 1);
    while (call.atMs - calls[start]!.atMs >= windowMs) {
      const left = calls[start++]!.destination;
      const count = inWindow.get(left)! - 1;
      if (count === 0) inWindow.delete(left);
      else inWindow.set(left, count);
    }
    const count = end - start + 1;
    if (count < params.minCalls || inWindow.size < params.minDestinations) continue;
    if (best === null || count > best.calls || (count === best.calls && call.atMs > best.toMs))
      best = {
        calls: count,
        destinations: inWindow.size,
        fromMs: calls[start]!.atMs,
        toMs: call.atMs,
        sample: [...inWindow.keys()].slice(0, 10),
      };
  }
  return best;
}

export interface SpendObservation {
  /** Spent in the window. */
  readonly recentMicros: bigint;
  /** Spent in the baseline (the days before the window that the line has usage in). */
  readonly baselineMicros: bigint;
  /** How long the baseline is: from the line's first usage in it (or its start) to the window. */
  readonly baselineMs: number;
  readonly windowMs: number;
}

/**
 * Whether a window's spend is a spike: at least the minimum, and more than `factor` times what
 * the baseline spent per window on average (a line with no baseline has an average of zero, so
 * only the minimum holds it back). Exact: bigint throughout, the factor to 1/1000.
 */
export function isSpendSpike(observed: SpendObservation, factor: number, minMicros: bigint): boolean {
  if (observed.recentMicros < minMicros || observed.recentMicros <= 0n) return false;
  if (observed.baselineMs <= 0 || observed.baselineMicros <= 0n) return true;
  const factorThousandths = BigInt(Math.round(factor * 1000));
  return (
    observed.recentMicros * BigInt(Math.round(observed.baselineMs)) * 1000n >
    factorThousandths * observed.baselineMicros * BigInt(Math.round(observed.windowMs))
  );
}

/** The baseline's average spend per window, for the evidence (micro-units, rounded down). */
export function baselinePerWindow(observed: SpendObservation): bigint {
  if (observed.baselineMs <= 0) return 0n;
  return (
    (observed.baselineMicros * BigInt(Math.round(observed.windowMs))) /
    BigInt(Math.round(observed.baselineMs))
  );
}
