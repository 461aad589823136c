import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import { OBSERVERS } from './observe-thresholds.js';
import { recordThresholdFirings } from './record-threshold-firings.js';
import { loadThresholdContext } from './threshold-context.js';
import type { ThresholdFiring } from './threshold-firing.js';

/** An account whose usage, balance or cap just changed. */
export interface ThresholdTouch {
  readonly tenantId: string;
  readonly accountId: string;
  /** The lines that had usage; line-level kinds (roaming, unusual usage, caps) look at these. */
  readonly subscriptionIds?: readonly string[];
  /** Lines whose spending cap refused a request or was used up. */
  readonly capsReached?: readonly string[];
}

/** At most this many accounts per evaluation: a bound on the statements' parameters. */
export const MAX_ACCOUNTS_PER_EVALUATION = 5_000;

/**
 * Evaluates the notification rules of the accounts touched by a charging or mediation batch
 * (docs/bill-shock.md): per tenant, the accounts, lines and rules in three statements, then one
 * statement per kind that has levels, then one transaction that records the firings and queues
 * the messages of the new ones. Returns the firings newly recorded.
 */
export async function evaluateThresholds(
  db: Kysely<Database>,
  touches: readonly ThresholdTouch[],
  now: Date,
): Promise<ThresholdFiring[]> {
  if (touches.length > MAX_ACCOUNTS_PER_EVALUATION)
    throw new Error(`at most ${MAX_ACCOUNTS_PER_EVALUATION} accounts per evaluation, got ${touches.length}`);
  const byTenant = new Map<string, ThresholdTouch[]>();
  for (const touch of touches) {
    const list = byTenant.get(touch.tenantId) ?? [];
    list.push(touch);
    byTenant.set(touch.tenantId, list);
  }
  const fired: ThresholdFiring[] = [];
  for (const [tenantId, list] of byTenant) {
    const accountIds = [...new Set(list.map((t) => t.accountId))];
    const context = await loadThresholdContext(db, tenantId, accountIds, now);
    const lineIds = new Set<string>();
    const capsReached = new Set<string>();
    for (const touch of list) {
      for (const id of touch.subscriptionIds ?? []) lineIds.add(id);
      for (const id of touch.capsReached ?? []) capsReached.add(id);
      // No lines named: every line of the account.
      if ((touch.subscriptionIds ?? []).length === 0)
        for (const line of context.lines.values())
          if (line.accountId === touch.accountId) lineIds.add(line.id);
    }
    const scope = {
      context,
      lineIds: [...lineIds].filter((id) => context.lines.has(id)),
      capsReached,
    };
    const candidates = (await Promise.all(OBSERVERS.map((observe) => observe(db, scope)))).flat();
    if (candidates.length === 0) continue;
    fired.push(
      ...(await db.transaction().execute((trx) => recordThresholdFirings(trx, tenantId, candidates, now))),
    );
  }
  return fired;
}
