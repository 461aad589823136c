import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';

/** Lines start before the tariffs' activation, as the demo lines do. */
export const LINES_START = '2026-01-01T00:00:00+01:00';

/**
 * A deterministic uuid per kind of row and number, so that rows of one number find each other
 * across set-based inserts (the account of customer n is `benchUuid('a', n)`, and so on).
 */
export function benchUuid(kind: string, n: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`md5(${`bench-${kind}-`} || ${n}::text)::uuid`;
}

/** The subscription of line n of a kind of lines (see LineRows.key). */
export function lineUuid(key: string, n: RawBuilder<unknown>): RawBuilder<string> {
  return benchUuid(`line-${key}`, n);
}

/** The row number of a `generate_series(lo, hi) as g(n)` series, in expressions of its rows. */
export const n = sql`n`;

/** The MSISDN of ordinary subscriber i (0-based): +49170 and seven digits. */
export function subscriberMsisdn(i: number): string {
  return `+49170${String(i + 1).padStart(7, '0')}`;
}

/** subscriberMsisdn of row n (1-based), in SQL: the seeded lines and the generated traffic agree. */
export const SUBSCRIBER_MSISDN = sql`'+49170' || lpad(n::text, 7, '0')`;

export interface LineRows {
  readonly tenantId: string;
  readonly planId: string;
  /** The lines numbered lo..hi, both included. */
  readonly lo: number;
  readonly hi: number;
  /** Distinguishes the ids of one kind of lines from another's. */
  readonly key: string;
  /** The number of the line's account, as an expression of n. */
  readonly account: RawBuilder<unknown>;
  /** The line's MSISDN in E.164, as an expression of n. */
  readonly msisdn: RawBuilder<unknown>;
  /** When the lines start (default LINES_START). */
  readonly startsAt?: string;
}

/**
 * Inserts lines lo..hi with three set-based statements: for each its subscription on the plan, its
 * MSISDN and its `activated` event, as createSubscription writes them (no audit entries: nothing
 * reads them in a bench).
 */
export async function insertLines(db: Kysely<Database>, p: LineRows): Promise<void> {
  const series = sql`generate_series(${p.lo}::int, ${p.hi}::int) as g(n)`;
  const starts = sql`${p.startsAt ?? LINES_START}::timestamptz`;
  const line = lineUuid(p.key, n);
  const account = benchUuid('a', p.account);
  await sql`
    insert into subscriptions (id, tenant_id, account_id, plan_id, status, starts_at, ends_at, created_at, updated_at)
    select ${line}, ${p.tenantId}::uuid, ${account}, ${p.planId}::uuid, 'active', ${starts}, null, now(), now()
    from ${series}`.execute(db);
  await sql`
    insert into subscription_identifiers (tenant_id, account_id, subscription_id, kind, value, valid_from, valid_to, created_at)
    select ${p.tenantId}::uuid, ${account}, ${line}, 'msisdn', ${p.msisdn}, ${starts}, null, now()
    from ${series}`.execute(db);
  await sql`
    insert into subscription_events (tenant_id, account_id, subscription_id, sequence, kind, effective_at, data,
      actor_type, actor_id, created_at)
    select ${p.tenantId}::uuid, ${account}, ${line}, 1, 'activated', ${starts},
      jsonb_build_object('planId', ${p.planId}::text), 'system', 'bench', now()
    from ${series}`.execute(db);
}
