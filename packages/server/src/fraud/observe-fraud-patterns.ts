import { type Kysely, type RawBuilder, sql } from 'kysely';
import { formatMoneyAmount, parseMoneyAmount } from '../accounts/money-amount.js';
import { bareArrayLiteral, textArrayLiteral } from '../db/array-literal.js';
import type { Database } from '../db/database-schema.js';
import { countryCallingCode } from './country-calling-code.js';
import {
  baselinePerWindow,
  type FraudRuleKind,
  type FraudRuleParams,
  findShortCallBurst,
  isSpendSpike,
  type SpendObservation,
} from './fraud-rules.js';

/** A line the evaluation looks at. */
export interface FraudLine {
  readonly id: string;
  readonly accountId: string;
  readonly customerId: string;
  readonly currency: string;
}

/** What one evaluation of a tenant's batch shares. */
export interface FraudScope {
  readonly tenantId: string;
  readonly now: Date;
  readonly lines: readonly FraudLine[];
  /** The tenant's country calling code: calls home are never an unexpected country. */
  readonly homeCountry: string;
  /** The latest decision on each line and kind (key `${subscriptionId}:${kind}`): usage before it is judged. */
  readonly decidedAt: ReadonlyMap<string, Date>;
}

/** A pattern found on a line: the case to open, or an occurrence of the open one. */
export interface FraudFinding {
  readonly kind: FraudRuleKind;
  readonly line: FraudLine;
  readonly summary: string;
  /** Always holds `latestAt`, the newest usage the finding rests on (ISO): a new occurrence needs newer usage. */
  readonly evidence: { readonly latestAt: string } & Record<string, unknown>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far back short calls are searched for a burst: late CDR files are still looked at. */
export const BURST_LOOKBACK_MS = DAY_MS;
/** A bound on the rows one evaluation reads for bursts and countries (an attack is still seen whole enough). */
const MAX_ROWS = 50_000;

/** Where each line's usage is looked at from, for one rule: after the window start, and after the last decision. */
function windowStartOf(scope: FraudScope, line: FraudLine, kind: FraudRuleKind, lookbackMs: number): Date {
  const start = scope.now.getTime() - lookbackMs;
  const decided = scope.decidedAt.get(`${line.id}:${kind}`)?.getTime() ?? Number.NEGATIVE_INFINITY;
  return new Date(Math.max(start, decided));
}

/**
 * The usage of the lines from `since` on, one row per record or per service of a charging session:
 * rated usage (not the records online charging already charged, which its sessions hold) and the
 * services of charging sessions. Each row carries its line's window start. The statements read
 * rated_usage by its (tenant, account, started_at) index and sessions by theirs.
 */
function lineUsage(
  scope: FraudScope,
  rows: readonly { line: FraudLine; since: Date; windowStart: Date }[],
): RawBuilder<unknown> {
  return sql`
    p as (
      select * from unnest(
        ${bareArrayLiteral(rows.map((r) => r.line.accountId))}::uuid[],
        ${bareArrayLiteral(rows.map((r) => r.line.id))}::uuid[],
        ${textArrayLiteral(rows.map((r) => r.since.toISOString()))}::timestamptz[],
        ${textArrayLiteral(rows.map((r) => r.windowStart.toISOString()))}::timestamptz[]
      ) as p(account_id, subscription_id, since, window_start)
    ), u as (
      select p.subscription_id, p.window_start, r.started_at, r.unit, r.direction, r.destination,
        r.units::numeric as units, r.charged_micros::numeric as micros, true as ended
      from p join rated_usage r on r.tenant_id = ${scope.tenantId}::uuid and r.account_id = p.account_id
        and r.started_at >= p.since and r.subscription_id = p.subscription_id
      where r.settlement <> 'online' and r.entry = 'charge' and r.rerate_id is null
      union all
      select p.subscription_id, p.window_start, s.started_at, x.value->>'unit', 'outgoing', x.value->>'destination',
        (x.value->>'usedUnits')::numeric, (x.value->>'chargedMicros')::numeric, s.status <> 'open'
      from p join charging_sessions s on s.tenant_id = ${scope.tenantId}::uuid and s.account_id = p.account_id
        and s.started_at >= p.since and s.subscription_id = p.subscription_id
      cross join lateral jsonb_array_elements(s.services) as x(value)
    )`;
}

type Observer<K extends FraudRuleKind> = (
  db: Kysely<Database>,
  scope: FraudScope,
  params: FraudRuleParams[K],
) => Promise<FraudFinding[]>;

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

/** premium_destination: outgoing usage to a listed prefix in the last windowHours. */
export const observePremiumDestinations: Observer<'premium_destination'> = async (db, scope, params) => {
  if (params.prefixes.length === 0 || scope.lines.length === 0) return [];
  const rows = scope.lines.map((line) => {
    const start = windowStartOf(scope, line, 'premium_destination', params.windowHours * HOUR_MS);
    return { line, since: start, windowStart: start };
  });
  const patterns = params.prefixes.map((prefix) => `${prefix}%`);
  const { rows: found } = await sql<{
    subscription_id: string;
    calls: number;
    destinations: string[];
    micros: string;
    latest: Date | string;
  }>`
    with ${lineUsage(scope, rows)}
    select subscription_id, count(*)::int4 as calls,
      (array_agg(distinct destination order by destination))[1:10] as destinations,
      coalesce(sum(micros), 0)::int8::text as micros, max(started_at) as latest
    from u
    where direction = 'outgoing' and regexp_replace(destination, '^[+]', '') like any(${textArrayLiteral(patterns)}::text[])
    group by subscription_id`.execute(db);
  const lines = new Map(scope.lines.map((l) => [l.id, l]));
  return found.map((row) => {
    const line = lines.get(row.subscription_id)!;
    return {
      kind: 'premium_destination',
      line,
      summary: `${row.calls} ${row.calls === 1 ? 'use' : 'uses'} of high-risk or premium destinations (${row.destinations.slice(0, 3).join(', ')}) in the last ${params.windowHours} h`,
      evidence: {
        latestAt: iso(row.latest),
        records: row.calls,
        destinations: row.destinations,
        charged: formatMoneyAmount(BigInt(row.micros), line.currency),
        currency: line.currency,
        windowHours: params.windowHours,
      },
    };
  });
};

/** short_call_burst: many short outgoing calls to many numbers in a window (over the last day). */
export const observeShortCallBursts: Observer<'short_call_burst'> = async (db, scope, params) => {
  if (scope.lines.length === 0) return [];
  const rows = scope.lines.map((line) => {
    const start = windowStartOf(scope, line, 'short_call_burst', BURST_LOOKBACK_MS);
    return { line, since: start, windowStart: start };
  });
  const { rows: calls } = await sql<{
    subscription_id: string;
    started_at: Date | string;
    destination: string;
  }>`
    with ${lineUsage(scope, rows)}
    select subscription_id, started_at, destination from u
    where direction = 'outgoing' and unit = 'seconds' and ended and units <= ${params.maxSeconds}
      and destination <> ''
    order by subscription_id, started_at
    limit ${MAX_ROWS}`.execute(db);
  const byLine = new Map<string, { atMs: number; destination: string }[]>();
  for (const call of calls) {
    const list = byLine.get(call.subscription_id) ?? [];
    list.push({ atMs: new Date(call.started_at).getTime(), destination: call.destination });
    byLine.set(call.subscription_id, list);
  }
  const found: FraudFinding[] = [];
  for (const line of scope.lines) {
    const burst = findShortCallBurst(byLine.get(line.id) ?? [], params);
    if (burst === null) continue;
    found.push({
      kind: 'short_call_burst',
      line,
      summary: `${burst.calls} calls of at most ${params.maxSeconds} s to ${burst.destinations} numbers within ${params.windowMinutes} min`,
      evidence: {
        latestAt: new Date(burst.toMs).toISOString(),
        from: new Date(burst.fromMs).toISOString(),
        calls: burst.calls,
        destinations: burst.destinations,
        sample: burst.sample,
        maxSeconds: params.maxSeconds,
        windowMinutes: params.windowMinutes,
      },
    });
  }
  return found;
};

/** simultaneous_sessions: more open charging sessions on a line than the limit. */
export const observeSimultaneousSessions: Observer<'simultaneous_sessions'> = async (db, scope, params) => {
  if (scope.lines.length === 0) return [];
  const since = scope.lines.map((line) => windowStartOf(scope, line, 'simultaneous_sessions', 30 * DAY_MS));
  const { rows } = await sql<{
    subscription_id: string;
    open: number;
    latest: Date | string;
    keys: string[];
  }>`
    select s.subscription_id, count(*)::int4 as open, max(s.started_at) as latest,
      (array_agg(s.session_key order by s.started_at desc))[1:10] as keys
    from unnest(
      ${bareArrayLiteral(scope.lines.map((l) => l.id))}::uuid[],
      ${textArrayLiteral(since.map((d) => d.toISOString()))}::timestamptz[]
    ) as p(subscription_id, since)
    join charging_sessions s on s.tenant_id = ${scope.tenantId}::uuid and s.subscription_id = p.subscription_id
      and s.status = 'open' and s.kind = 'session' and s.started_at >= p.since
    group by s.subscription_id
    having count(*) > ${params.maxSessions}`.execute(db);
  const lines = new Map(scope.lines.map((l) => [l.id, l]));
  return rows.map((row) => ({
    kind: 'simultaneous_sessions',
    line: lines.get(row.subscription_id)!,
    summary: `${row.open} charging sessions open at once (the limit is ${params.maxSessions})`,
    evidence: {
      latestAt: iso(row.latest),
      openSessions: row.open,
      maxSessions: params.maxSessions,
      sessionKeys: row.keys,
    },
  }));
};

/** spend_spike: the window's spend far above the line's average per window over the baseline. */
export const observeSpendSpikes: Observer<'spend_spike'> = async (db, scope, params) => {
  if (scope.lines.length === 0) return [];
  const windowMs = params.windowHours * HOUR_MS;
  const baselineStart = new Date(scope.now.getTime() - windowMs - params.baselineDays * DAY_MS);
  const rows = scope.lines.map((line) => ({
    line,
    since: baselineStart,
    windowStart: windowStartOf(scope, line, 'spend_spike', windowMs),
  }));
  const { rows: found } = await sql<{
    subscription_id: string;
    window_start: Date | string;
    recent: string;
    baseline: string;
    first_baseline: Date | string | null;
    latest: Date | string | null;
  }>`
    with ${lineUsage(scope, rows)}
    select subscription_id, min(window_start) as window_start,
      coalesce(sum(micros) filter (where started_at >= window_start), 0)::int8::text as recent,
      coalesce(sum(micros) filter (where started_at < window_start), 0)::int8::text as baseline,
      min(started_at) filter (where started_at < window_start) as first_baseline,
      max(started_at) filter (where started_at >= window_start) as latest
    from u group by subscription_id`.execute(db);
  const lines = new Map(scope.lines.map((l) => [l.id, l]));
  const findings: FraudFinding[] = [];
  for (const row of found) {
    const line = lines.get(row.subscription_id)!;
    const min = parseMoneyAmount(params.minAmount, line.currency);
    if (!min.ok || row.latest === null) continue;
    const windowStartMs = new Date(row.window_start).getTime();
    const observed: SpendObservation = {
      recentMicros: BigInt(row.recent),
      baselineMicros: BigInt(row.baseline),
      baselineMs: row.first_baseline === null ? 0 : windowStartMs - new Date(row.first_baseline).getTime(),
      windowMs: scope.now.getTime() - windowStartMs,
    };
    if (!isSpendSpike(observed, params.factor, min.micros)) continue;
    const usual = baselinePerWindow(observed);
    findings.push({
      kind: 'spend_spike',
      line,
      summary: `spent ${formatMoneyAmount(observed.recentMicros, line.currency)} ${line.currency} in the last ${params.windowHours} h; usually ${formatMoneyAmount(usual, line.currency)}`,
      evidence: {
        latestAt: iso(row.latest),
        spent: formatMoneyAmount(observed.recentMicros, line.currency),
        usual: formatMoneyAmount(usual, line.currency),
        baselineSpent: formatMoneyAmount(observed.baselineMicros, line.currency),
        baselineDaysSeen: Math.round((observed.baselineMs / DAY_MS) * 100) / 100,
        currency: line.currency,
        factor: params.factor,
        minAmount: params.minAmount,
        windowHours: params.windowHours,
        baselineDays: params.baselineDays,
      },
    });
  }
  return findings;
};

/**
 * unexpected_country: usage records carry no visited network or location (neither charging
 * requests nor CDR formats name one), so the country looked at is the destination's: calls in
 * the window to a country (E.164 country calling code) the line never called in its baseline,
 * other than the tenant's own country and the allowed ones, on a line with a baseline.
 */
export const observeUnexpectedCountries: Observer<'unexpected_country'> = async (db, scope, params) => {
  if (scope.lines.length === 0) return [];
  const windowMs = params.windowHours * HOUR_MS;
  const baselineStart = new Date(scope.now.getTime() - windowMs - params.baselineDays * DAY_MS);
  const rows = scope.lines.map((line) => ({
    line,
    since: baselineStart,
    windowStart: windowStartOf(scope, line, 'unexpected_country', windowMs),
  }));
  const { rows: heads } = await sql<{
    subscription_id: string;
    head: string;
    recent: number;
    earlier: number;
    latest: Date | string | null;
  }>`
    with ${lineUsage(scope, rows)}
    select subscription_id, substr(destination, 2, 3) as head,
      count(*) filter (where started_at >= window_start)::int4 as recent,
      count(*) filter (where started_at < window_start)::int4 as earlier,
      max(started_at) filter (where started_at >= window_start) as latest
    from u
    where direction = 'outgoing' and destination ~ '^[+][1-9][0-9]{2}'
    group by subscription_id, substr(destination, 2, 3)
    limit ${MAX_ROWS}`.execute(db);
  const perLine = new Map<
    string,
    { baseline: number; earlier: Set<string>; recent: Map<string, { calls: number; latest: number }> }
  >();
  for (const row of heads) {
    const country = countryCallingCode(`+${row.head}`);
    if (country === null) continue;
    let seen = perLine.get(row.subscription_id);
    if (seen === undefined) {
      seen = { baseline: 0, earlier: new Set(), recent: new Map() };
      perLine.set(row.subscription_id, seen);
    }
    seen.baseline += row.earlier;
    if (row.earlier > 0) seen.earlier.add(country);
    if (row.recent > 0 && row.latest !== null) {
      const before = seen.recent.get(country) ?? { calls: 0, latest: 0 };
      seen.recent.set(country, {
        calls: before.calls + row.recent,
        latest: Math.max(before.latest, new Date(row.latest).getTime()),
      });
    }
  }
  const allowed = new Set([scope.homeCountry, ...params.allowedCountries]);
  const findings: FraudFinding[] = [];
  for (const line of scope.lines) {
    const seen = perLine.get(line.id);
    if (seen === undefined || seen.baseline < params.minBaselineCalls) continue;
    const fresh = [...seen.recent.entries()]
      .filter(
        ([country, r]) => !allowed.has(country) && !seen.earlier.has(country) && r.calls >= params.minCalls,
      )
      .sort((a, b) => b[1].calls - a[1].calls);
    if (fresh.length === 0) continue;
    findings.push({
      kind: 'unexpected_country',
      line,
      summary: `calls to ${fresh.map(([c, r]) => `+${c} (${r.calls})`).join(', ')}: countries this line did not call in the ${params.baselineDays} days before`,
      evidence: {
        latestAt: new Date(Math.max(...fresh.map(([, r]) => r.latest))).toISOString(),
        basis: 'destination',
        countries: fresh.map(([country, r]) => ({ country, calls: r.calls })),
        baselineCountries: [...seen.earlier].sort(),
        baselineCalls: seen.baseline,
        homeCountry: scope.homeCountry,
        windowHours: params.windowHours,
        baselineDays: params.baselineDays,
      },
    });
  }
  return findings;
};
