import { type Kysely, sql } from 'kysely';
import type { AccountKind, IdentifierKind } from '../accounts/account-tables.js';
import type { Database } from '../db/database-schema.js';
import type { RejectReason } from './usage-record.js';

/** What rating needs of the line that held an identifier at an instant. */
export interface LineAtTime {
  readonly subscriptionId: string;
  readonly accountId: string;
  readonly accountKind: AccountKind;
  readonly currency: string;
  readonly tariffVersionId: string;
  readonly ratingTenant: string;
  /** The line is rated as its MSISDN then, else as the identifier the record named. */
  readonly subject: string;
  /** The fraud case barring the line when the directory read it (docs/fraud.md); null: not barred. */
  readonly barredBy: string | null;
}

export type LineLookup =
  | { readonly ok: true; readonly line: LineAtTime }
  | { readonly ok: false; readonly reason: RejectReason; readonly field: string; readonly message: string };

interface Period {
  readonly fromMs: number;
  /** Exclusive; null: open-ended. */
  readonly toMs: number | null;
}

interface HolderPeriod extends Period {
  readonly subscriptionId: string;
}

interface Line {
  readonly subscriptionId: string;
  readonly accountId: string;
  readonly accountKind: AccountKind;
  readonly currency: string;
  /** Plan changes and status changes by effective time, oldest first. */
  readonly plans: { readonly atMs: number; readonly planId: string | null }[];
  readonly statuses: { readonly atMs: number; readonly active: boolean }[];
  readonly msisdns: (Period & { readonly value: string })[];
  barredBy: string | null;
}

interface PlanVersion {
  readonly fromMs: number;
  /** Null: the plan version prices no usage. */
  readonly tariffId: string | null;
}

interface TariffVersion {
  readonly id: string;
  readonly activatesMs: number;
  readonly ratingTenants: readonly string[];
}

export interface Identifier {
  readonly kind: IdentifierKind;
  readonly value: string;
}

function keyOf(identifier: Identifier): string {
  return `${identifier.kind}\u0000${identifier.value}`;
}

function newLine(
  subscriptionId: string,
  row: { readonly account_id: string; readonly account_kind: AccountKind; readonly currency: string },
): Line {
  return {
    subscriptionId,
    accountId: row.account_id,
    accountKind: row.account_kind,
    currency: row.currency.trim(),
    plans: [],
    statuses: [],
    msisdns: [],
    barredBy: null,
  };
}

/** A bound on identifiers remembered by one directory: a run over a file for a big operator. */
const MAX_REMEMBERED_IDENTIFIERS = 2_000_000;

/**
 * The lines of a tenant as one mediation run sees them: which line held an identifier when, the
 * plan it was on, the tariff version then in effect. The rules are those of online charging
 * (charging/resolve-charged-line.ts) and quotes (catalog/quote-usage.ts), evaluated in memory,
 * because a file of a million records cannot afford a query per record. Identifiers are read in
 * bulk, a batch at a time, and remembered for the run; the catalog (plan and tariff versions) is
 * read once. A run therefore rates against the lines and catalog as they were when it first
 * needed them; a record suspended because of a line or tariff fixed later is reprocessed in a
 * new run, which reads afresh.
 */
export class LineDirectory {
  readonly #holders = new Map<string, HolderPeriod[]>();
  readonly #lines = new Map<string, Line>();
  #planVersions: Map<string, PlanVersion[]> | null = null;
  #tariffVersions: Map<string, TariffVersion[]> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
  ) {}

  /** Reads the identifiers not read before, with their lines, in a few queries per kind. */
  async load(identifiers: Iterable<Identifier>): Promise<void> {
    if (this.#planVersions === null) await this.#loadCatalog();
    const wantedByKind = new Map<IdentifierKind, Set<string>>();
    for (const identifier of identifiers) {
      if (this.#holders.has(keyOf(identifier))) continue;
      const values = wantedByKind.get(identifier.kind) ?? new Set<string>();
      values.add(identifier.value);
      wantedByKind.set(identifier.kind, values);
    }
    for (const [kind, values] of wantedByKind) await this.#loadIdentifiers(kind, [...values]);
  }

  /** Reads lines by id (a rerate knows the line of each record), with their plans and statuses. */
  async loadLines(subscriptionIds: Iterable<string>): Promise<void> {
    if (this.#planVersions === null) await this.#loadCatalog();
    const wanted = [...new Set(subscriptionIds)].filter((id) => !this.#lines.has(id));
    if (wanted.length === 0) return;
    const { rows } = await sql<{
      id: string;
      account_id: string;
      account_kind: AccountKind;
      currency: string;
    }>`
      select s.id, s.account_id, a.kind as account_kind, a.currency
      from subscriptions s join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
      where s.tenant_id = ${this.tenantId} and s.id = any(${wanted}::uuid[])`.execute(this.db);
    const lines = new Map<string, Line>();
    for (const row of rows) lines.set(row.id, newLine(row.id, row));
    if (lines.size > 0) await this.#loadLines(lines);
  }

  async #loadIdentifiers(kind: IdentifierKind, wanted: readonly string[]): Promise<void> {
    if (this.#holders.size + wanted.length > MAX_REMEMBERED_IDENTIFIERS) this.#holders.clear();
    for (const value of wanted) this.#holders.set(keyOf({ kind, value }), []);
    const { rows } = await sql<{
      value: string;
      subscription_id: string;
      valid_from: Date;
      valid_to: Date | null;
      account_id: string;
      account_kind: AccountKind;
      currency: string;
    }>`
      select i.value, i.subscription_id, i.valid_from, i.valid_to, s.account_id, a.kind as account_kind,
        a.currency
      from subscription_identifiers i
      join subscriptions s on s.tenant_id = i.tenant_id and s.id = i.subscription_id
      join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
      where i.tenant_id = ${this.tenantId} and i.kind = ${kind} and i.value = any(${wanted}::text[])`.execute(
      this.db,
    );
    const newLines = new Map<string, Line>();
    for (const row of rows) {
      this.#holders.get(keyOf({ kind, value: row.value }))?.push({
        subscriptionId: row.subscription_id,
        fromMs: row.valid_from.getTime(),
        toMs: row.valid_to?.getTime() ?? null,
      });
      if (!this.#lines.has(row.subscription_id) && !newLines.has(row.subscription_id))
        newLines.set(row.subscription_id, newLine(row.subscription_id, row));
    }
    if (newLines.size > 0) await this.#loadLines(newLines);
  }

  /** The line that held the identifier at `atMs`, with the tariff then in effect; a reason when none. */
  lookup(identifier: Identifier, atMs: number): LineLookup {
    const holders = this.#holders.get(keyOf(identifier));
    if (holders === undefined) throw new Error(`identifier ${identifier.value} was not loaded before lookup`);
    const holder = holders.find((p) => covers(p, atMs));
    if (holder === undefined)
      return {
        ok: false,
        reason: 'unknown_subscriber',
        field: 'subscriber',
        message: `no line held ${identifier.kind} ${identifier.value} at ${new Date(atMs).toISOString()}`,
      };
    return this.#lineAt(this.#lines.get(holder.subscriptionId)!, identifier.value, atMs);
  }

  /** A line loaded by loadLines, as it was at `atMs`; `subject` when it had no MSISDN then. */
  lookupLine(subscriptionId: string, subject: string, atMs: number): LineLookup {
    const line = this.#lines.get(subscriptionId);
    if (line === undefined)
      return {
        ok: false,
        reason: 'unknown_subscriber',
        field: 'subscriber',
        message: `no line ${subscriptionId}`,
      };
    return this.#lineAt(line, subject, atMs);
  }

  #lineAt(line: Line, value: string, atMs: number): LineLookup {
    // Failure messages format the instant; a lookup that succeeds (nearly all) never does.
    const at = () => new Date(atMs).toISOString();
    if (!latestAt(line.statuses, atMs)?.active)
      return {
        ok: false,
        reason: 'inactive_subscriber',
        field: 'subscriber',
        message: `line ${line.subscriptionId} (${value}) was not active at ${at()}`,
      };
    const planId = latestAt(line.plans, atMs)?.planId ?? null;
    const planVersion = planId === null ? undefined : latestAt(this.#planVersions!.get(planId) ?? [], atMs);
    const tariffId = planVersion?.tariffId ?? null;
    const tariffVersion = tariffId === null ? undefined : this.#tariffVersionAt(tariffId, atMs);
    if (tariffVersion === undefined)
      return {
        ok: false,
        reason: 'no_rate',
        field: 'startedAt',
        message: `line ${line.subscriptionId} had no plan with a tariff in effect at ${at()}`,
      };
    if (tariffVersion.ratingTenants.length !== 1)
      return {
        ok: false,
        reason: 'no_rate',
        field: 'startedAt',
        message: `tariff version ${tariffVersion.id} names ${tariffVersion.ratingTenants.length} rating tenants; rating needs exactly one`,
      };
    return {
      ok: true,
      line: {
        subscriptionId: line.subscriptionId,
        accountId: line.accountId,
        accountKind: line.accountKind,
        currency: line.currency,
        tariffVersionId: tariffVersion.id,
        ratingTenant: tariffVersion.ratingTenants[0]!,
        subject: line.msisdns.find((m) => covers(m, atMs))?.value ?? value,
        barredBy: line.barredBy,
      },
    };
  }

  #tariffVersionAt(tariffId: string, atMs: number): TariffVersion | undefined {
    // The highest version activated by then, as resolve-charged-line.ts orders them.
    let best: TariffVersion | undefined;
    for (const version of this.#tariffVersions!.get(tariffId) ?? []) {
      if (version.activatesMs <= atMs) best = version;
    }
    return best;
  }

  async #loadCatalog(): Promise<void> {
    const planRows = await this.db
      .selectFrom('plan_versions')
      .select(['plan_id', 'effective_from', 'tariff_id'])
      .where('tenant_id', '=', this.tenantId)
      .orderBy('effective_from')
      .orderBy('version')
      .execute();
    const plans = new Map<string, PlanVersion[]>();
    for (const row of planRows) {
      const list = plans.get(row.plan_id) ?? [];
      list.push({ fromMs: row.effective_from.getTime(), tariffId: row.tariff_id });
      plans.set(row.plan_id, list);
    }
    const tariffRows = await this.db
      .selectFrom('tariff_versions')
      .select(['id', 'tariff_id', 'activates_at', 'summary'])
      .where('tenant_id', '=', this.tenantId)
      .orderBy('version')
      .execute();
    const tariffs = new Map<string, TariffVersion[]>();
    for (const row of tariffRows) {
      const summary = (typeof row.summary === 'string' ? JSON.parse(row.summary) : row.summary) as {
        ratingTenants?: string[];
      };
      const list = tariffs.get(row.tariff_id) ?? [];
      list.push({
        id: row.id,
        activatesMs: row.activates_at.getTime(),
        ratingTenants: summary.ratingTenants ?? [],
      });
      tariffs.set(row.tariff_id, list);
    }
    this.#planVersions = plans;
    this.#tariffVersions = tariffs;
  }

  async #loadLines(lines: Map<string, Line>): Promise<void> {
    const ids = [...lines.keys()];
    const events = await sql<{
      subscription_id: string;
      kind: string;
      effective_at: Date;
      plan_id: string | null;
    }>`
      select subscription_id, kind, effective_at,
        case kind when 'activated' then data ->> 'planId' when 'plan_changed' then data ->> 'toPlanId' end as plan_id
      from subscription_events
      where tenant_id = ${this.tenantId} and subscription_id = any(${ids}::uuid[])
      order by subscription_id, sequence`.execute(this.db);
    for (const event of events.rows) {
      const line = lines.get(event.subscription_id)!;
      const atMs = event.effective_at.getTime();
      if (event.kind === 'activated' || event.kind === 'plan_changed')
        insertByTime(line.plans, { atMs, planId: event.plan_id });
      const active = STATUS_EVENTS.get(event.kind);
      if (active !== undefined) insertByTime(line.statuses, { atMs, active });
    }
    const msisdns = await sql<{
      subscription_id: string;
      value: string;
      valid_from: Date;
      valid_to: Date | null;
    }>`
      select subscription_id, value, valid_from, valid_to from subscription_identifiers
      where tenant_id = ${this.tenantId} and subscription_id = any(${ids}::uuid[]) and kind = 'msisdn'
      order by valid_from`.execute(this.db);
    for (const row of msisdns.rows) {
      lines.get(row.subscription_id)!.msisdns.push({
        value: row.value,
        fromMs: row.valid_from.getTime(),
        toMs: row.valid_to?.getTime() ?? null,
      });
    }
    // Bars in force now, read with the lines as charging reads them with its line.
    const bars = await sql<{ subscription_id: string; id: string }>`
      select subscription_id, id from fraud_cases
      where tenant_id = ${this.tenantId} and subscription_id = any(${ids}::uuid[]) and barred and status <> 'dismissed'`.execute(
      this.db,
    );
    for (const bar of bars.rows) lines.get(bar.subscription_id)!.barredBy = bar.id;
    for (const [id, line] of lines) this.#lines.set(id, line);
  }
}

/**
 * Whether a line carries usage after each kind of event. A suspended or paused line is still
 * charged for what the network let through: the switch is the authority on what was used, and
 * the operator sees the usage rather than losing it. Only a line not yet activated or already
 * terminated takes none.
 */
const STATUS_EVENTS: ReadonlyMap<string, boolean> = new Map([
  ['activated', true],
  ['terminated', false],
]);

function covers(period: Period, atMs: number): boolean {
  return period.fromMs <= atMs && (period.toMs === null || atMs < period.toMs);
}

/** The last item in effect at `atMs` of a list ordered by time. */
function latestAt<T extends { readonly atMs?: number; readonly fromMs?: number }>(
  items: readonly T[],
  atMs: number,
): T | undefined {
  let found: T | undefined;
  for (const item of items) {
    if ((item.atMs ?? item.fromMs)! <= atMs) found = item;
    else break;
  }
  return found;
}

/** Keeps the list ordered by effective time; events of equal time keep their sequence order. */
function insertByTime<T extends { readonly atMs: number }>(list: T[], item: T): void {
  let index = list.length;
  while (index > 0 && list[index - 1]!.atMs > item.atMs) index--;
  list.splice(index, 0, item);
}
