import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { PaymentCollector } from './payment-collector.js';
import { rechargeIfBelowThreshold } from './recharge-if-below-threshold.js';

/** How long the rules read for a set of accounts are trusted before they are read again. */
const RULES_TTL_MS = 30_000;
const MAX_REMEMBERED_ACCOUNTS = 200_000;

/**
 * Runs auto-recharge after charges: told which accounts a commit debited, it reads their rules
 * (in one query, remembered for a while, so a hot account costs nothing extra per charge) and
 * starts a recharge for those that have one. The recharge itself re-reads the rule and the
 * balance under a lock, so a stale memory here can only cause a needless look, never a wrong
 * or double recharge.
 */
export class AutoRecharger {
  readonly #rules = new Map<string, { hasRule: boolean; readAtMs: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly collector: PaymentCollector,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Fire and forget: runs after the charging commit, outside the charging path. */
  afterDebit(accounts: readonly { tenantId: string; accountId: string }[]): void {
    this.#check(accounts).catch(this.onError);
  }

  async #check(accounts: readonly { tenantId: string; accountId: string }[]): Promise<void> {
    const nowMs = this.now().getTime();
    const unknown = accounts.filter((a) => {
      const known = this.#rules.get(a.accountId);
      return known === undefined || nowMs - known.readAtMs > RULES_TTL_MS;
    });
    if (unknown.length > 0)
      await this.#readRules(
        unknown.map((a) => a.accountId),
        nowMs,
      );
    for (const account of accounts) {
      if (this.#rules.get(account.accountId)?.hasRule !== true) continue;
      await rechargeIfBelowThreshold(this.db, this.collector, { ...account, now: this.now() });
    }
  }

  async #readRules(accountIds: readonly string[], nowMs: number): Promise<void> {
    const rows = await this.db
      .selectFrom('auto_recharge_rules')
      .select('account_id')
      .where('account_id', 'in', accountIds)
      .where('enabled', '=', true)
      .execute();
    const withRule = new Set(rows.map((r) => r.account_id));
    if (this.#rules.size > MAX_REMEMBERED_ACCOUNTS) this.#rules.clear();
    for (const id of accountIds) this.#rules.set(id, { hasRule: withRule.has(id), readAtMs: nowMs });
  }
}
