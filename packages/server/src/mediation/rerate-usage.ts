import { randomUUID } from 'node:crypto';
import {
  creditEntries,
  debitEntries,
  type EntryDraft,
  moneyBucketsFor,
  priceOf,
  sumHolds,
  takeFrom,
} from '@tollgate/core';
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { formatMoneyAmount } from '../accounts/money-amount.js';
import { type Actor, recordAuditEntry } from '../audit/record-audit-entry.js';
import { bucketStateOf, LOCKED_BUCKET_COLUMNS, type LockedBucketRow } from '../balances/locked-bucket-row.js';
import { type CompiledTariffCache, compiledTariffCache } from '../catalog/compiled-tariff-cache.js';
import { readTariffDocument } from '../catalog/tariff-store.js';
import type { Database } from '../db/database-schema.js';
import { LineDirectory } from './line-directory.js';
import type { RatedUsageTable, Settlement } from './mediation-tables.js';
import { priceRecordedUsage, storedExplanation } from './price-recorded-usage.js';
import type { UsageUnit } from './usage-record.js';

export interface RerateSelection {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly accountId?: string | undefined;
  readonly subscriptionId?: string | undefined;
  readonly sourceId?: string | undefined;
}

export interface AccountDifference {
  readonly accountId: string;
  readonly currency: string;
  readonly records: number;
  readonly beforeMicros: bigint;
  readonly afterMicros: bigint;
  readonly differenceMicros: bigint;
}

export interface RerateReport {
  readonly id: string;
  readonly selection: RerateSelection;
  readonly examined: number;
  readonly changed: number;
  /** Records the current catalog cannot price: left as they were. */
  readonly failed: number;
  /** Records an online session charged: corrected through the ledger, not by rerating. */
  readonly skippedOnline: number;
  readonly failures: readonly { readonly ratedUsageId: string; readonly message: string }[];
  readonly differences: readonly AccountDifference[];
}

/** A bound on a rerate's span: a year of usage, reread a batch at a time. */
const MAX_RERATE_SPAN_MS = 366 * 86_400_000;
const RERATE_BATCH_SIZE = 2_000;
const MAX_REPORTED_FAILURES = 100;

type CurrentCharge = {
  id: string | bigint;
  account_id: string;
  subscription_id: string;
  source_id: string;
  record_key: string;
  file_id: string | null;
  line_number: string | bigint | null;
  started_at: Date;
  service: string;
  direction: 'outgoing' | 'incoming';
  subscriber: string;
  destination: string;
  unit: UsageUnit;
  units: string | bigint;
  currency: string;
  list_micros: string | bigint;
  allowance_units: string | bigint;
  charged_micros: string | bigint;
  debited_micros: string | bigint;
  settlement: Settlement;
  tariff_version_id: string;
  explanation: unknown;
};

interface Change {
  readonly old: CurrentCharge;
  readonly listMicros: bigint;
  readonly chargedMicros: bigint;
  readonly tariffVersionId: string;
  readonly explanation: string;
}

export type RerateResult =
  | { readonly ok: true; readonly report: RerateReport }
  | { readonly ok: false; readonly code: 'invalid_selection'; readonly message: string };

/**
 * Rerates the current charges of a selection with the catalog as it is now (after a tariff or
 * plan correction): each record whose price changes gets a reversal of its charge and a new
 * charge, never an edit; allowance units taken stay taken. The money difference of usage a
 * balance paid moves that balance through the ledger (a refund, or a further debit down to the
 * floor); postpaid differences accrue for the next invoice. Running the same rerate again finds
 * every price equal and changes nothing.
 */
export async function rerateUsage(
  db: Kysely<Database>,
  tenantId: string,
  actor: Actor,
  selection: RerateSelection,
  tariffs: CompiledTariffCache = compiledTariffCache,
): Promise<RerateResult> {
  const spanMs = selection.to.getTime() - selection.from.getTime();
  if (!(spanMs > 0 && spanMs <= MAX_RERATE_SPAN_MS))
    return {
      ok: false,
      code: 'invalid_selection',
      message: 'to must be after from, and at most 366 days later',
    };
  const runId = randomUUID();
  const totals = new Map<
    string,
    { accountId: string; currency: string; records: number; before: bigint; after: bigint }
  >();
  const failures: { ratedUsageId: string; message: string }[] = [];
  const counts = { examined: 0, changed: 0, failed: 0, skippedOnline: 0 };
  const directory = new LineDirectory(db, tenantId);
  const tariff = (versionId: string) => tariffs.get(versionId, () => readTariffDocument(db, versionId));
  let afterId = 0n;
  for (;;) {
    const charges = await currentCharges(db, tenantId, selection, afterId, runId);
    if (charges.length === 0) break;
    afterId = BigInt(charges[charges.length - 1]!.id);
    counts.examined += charges.length;
    // Priced outside the transaction: the directory reads lines on its own connection, and an
    // embedded database has only one. A concurrent rerate of the same record is stopped by the
    // unique index on reverses_id when it writes.
    const changes: Change[] = [];
    for (const charge of charges) {
      if (charge.settlement === 'online') {
        counts.skippedOnline++;
        continue;
      }
      await directory.loadLines([charge.subscription_id]);
      const priced = await priceAgain(directory, charge, tariff);
      if (!priced.ok) {
        counts.failed++;
        if (failures.length < MAX_REPORTED_FAILURES)
          failures.push({ ratedUsageId: String(charge.id), message: priced.message });
        continue;
      }
      if (
        priced.listMicros === BigInt(charge.list_micros) &&
        priced.chargedMicros === BigInt(charge.charged_micros)
      )
        continue;
      changes.push({ old: charge, ...priced });
    }
    if (changes.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      const debits = await settleDifferences(trx, tenantId, runId, changes);
      await writeRerated(trx, tenantId, runId, changes, debits);
    });
    counts.changed += changes.length;
    for (const change of changes) {
      const key = `${change.old.account_id}/${change.old.currency}`;
      const total = totals.get(key) ?? {
        accountId: change.old.account_id,
        currency: change.old.currency.trim(),
        records: 0,
        before: 0n,
        after: 0n,
      };
      total.records++;
      total.before += BigInt(change.old.charged_micros);
      total.after += change.chargedMicros;
      totals.set(key, total);
    }
  }
  const differences: AccountDifference[] = [...totals.values()].map((t) => ({
    accountId: t.accountId,
    currency: t.currency,
    records: t.records,
    beforeMicros: t.before,
    afterMicros: t.after,
    differenceMicros: t.after - t.before,
  }));
  const report: RerateReport = { id: runId, selection, ...counts, failures, differences };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rerate_runs')
      .values({
        id: runId,
        tenant_id: tenantId,
        selection: JSON.stringify(selection),
        records_examined: BigInt(counts.examined),
        records_changed: BigInt(counts.changed),
        records_failed: BigInt(counts.failed),
        differences: JSON.stringify(differences, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
        actor_type: actor.type,
        actor_id: actor.id,
      })
      .execute();
    await recordAuditEntry(trx, {
      tenantId,
      actor,
      action: 'usage.rerated',
      objectType: 'rerate_run',
      objectId: runId,
      before: null,
      after: { selection, ...counts },
      occurredAt: new Date(),
    });
  });
  return { ok: true, report };
}

async function currentCharges(
  db: Kysely<Database>,
  tenantId: string,
  selection: RerateSelection,
  afterId: bigint,
  runId: string,
): Promise<CurrentCharge[]> {
  const { rows } = await sql<CurrentCharge>`
    select r.id, r.account_id, r.subscription_id, r.source_id, r.record_key, r.file_id, r.line_number, r.started_at,
      r.service, r.direction, r.subscriber, r.destination, r.unit, r.units, r.currency, r.list_micros,
      r.allowance_units, r.charged_micros, r.debited_micros, r.settlement, r.tariff_version_id, r.explanation
    from rated_usage r
    where r.tenant_id = ${tenantId} and r.entry = 'charge' and r.id > ${afterId.toString()}::int8
      and r.started_at >= ${selection.from} and r.started_at < ${selection.to}
      ${selection.accountId === undefined ? sql`` : sql`and r.account_id = ${selection.accountId}`}
      ${selection.subscriptionId === undefined ? sql`` : sql`and r.subscription_id = ${selection.subscriptionId}`}
      ${selection.sourceId === undefined ? sql`` : sql`and r.source_id = ${selection.sourceId}`}
      and not exists (select 1 from rated_usage x where x.reverses_id = r.id)
      -- The charges this run writes come after the ones it reads; they are not examined again.
      and r.rerate_id is distinct from ${runId}::uuid
    order by r.id
    limit ${RERATE_BATCH_SIZE}`.execute(db);
  return rows;
}

/** The record priced again: the same line, units and allowance units, the catalog as it is now. */
async function priceAgain(
  directory: LineDirectory,
  charge: CurrentCharge,
  tariff: (versionId: string) => ReturnType<CompiledTariffCache['get']>,
): Promise<
  | { ok: true; listMicros: bigint; chargedMicros: bigint; tariffVersionId: string; explanation: string }
  | { ok: false; message: string }
> {
  // The same line as when it was rated: a rerate corrects prices, not who used the service.
  const lookup = directory.lookupLine(charge.subscription_id, charge.subscriber, charge.started_at.getTime());
  if (!lookup.ok) return { ok: false, message: lookup.message };
  const units = BigInt(charge.units);
  const pricing = priceRecordedUsage(await tariff(lookup.line.tariffVersionId), lookup.line, {
    service: charge.service,
    unit: charge.unit,
    units,
    destination: charge.destination,
    startedAtMs: charge.started_at.getTime(),
  });
  const list = priceOf(pricing.price, units);
  if (!list.ok) return { ok: false, message: list.message };
  const charged = priceOf(pricing.price, units - BigInt(charge.allowance_units));
  if (!charged.ok) return { ok: false, message: charged.message };
  const previous = (
    typeof charge.explanation === 'string' ? JSON.parse(charge.explanation) : charge.explanation
  ) as {
    allowances?: { bucketId: string; units: string }[];
  };
  const allowances = (previous.allowances ?? []).map((a) => ({
    bucketId: a.bucketId,
    amount: BigInt(a.units),
  }));
  return {
    ok: true,
    listMicros: list.micros,
    chargedMicros: charged.micros,
    tariffVersionId: lookup.line.tariffVersionId,
    explanation: JSON.stringify(storedExplanation(pricing.ratedWhole(), allowances)),
  };
}

/**
 * For usage a balance paid: one ledger transaction per account for the batch, taking a higher
 * price from the account's money (down to its floors) or giving a lower one back to its main
 * balance. Returns each changed record's new debited amount and ledger transaction.
 */
async function settleDifferences(
  trx: Transaction<Database>,
  tenantId: string,
  runId: string,
  changes: readonly { old: CurrentCharge; chargedMicros: bigint }[],
): Promise<Map<string, { debitedMicros: bigint; transactionId: string | null }>> {
  const result = new Map<string, { debitedMicros: bigint; transactionId: string | null }>();
  const debited = changes.filter((c) => c.old.settlement === 'debited');
  for (const change of changes)
    if (change.old.settlement !== 'debited')
      result.set(String(change.old.id), {
        debitedMicros: BigInt(change.old.debited_micros),
        transactionId: null,
      });
  if (debited.length === 0) return result;
  const accountIds = [...new Set(debited.map((c) => c.old.account_id))];
  const { rows } = await sql<LockedBucketRow>`
    select ${sql.raw(LOCKED_BUCKET_COLUMNS)}
    from balance_buckets b join accounts a on a.tenant_id = b.tenant_id and a.id = b.account_id
    where b.tenant_id = ${tenantId} and b.account_id = any(${accountIds}::uuid[]) and b.kind = 'money'
    order by b.id for update of b`.execute(trx);
  const buckets = rows.map((row) => ({
    bucket: bucketStateOf(row),
    accountId: row.account_id,
    isMain: row.is_main,
  }));
  const transactions: { id: string; accountId: string; entries: EntryDraft[] }[] = [];
  for (const accountId of accountIds) {
    const own = buckets.filter((b) => b.accountId === accountId);
    const entries: EntryDraft[] = [];
    const transactionId = randomUUID();
    for (const change of debited.filter((c) => c.old.account_id === accountId)) {
      const oldDebited = BigInt(change.old.debited_micros);
      const unpaidBefore = BigInt(change.old.charged_micros) - oldDebited;
      const wanted = change.chargedMicros - BigInt(change.old.charged_micros) + unpaidBefore;
      let newDebited = oldDebited;
      if (wanted > 0n) {
        const scope = {
          subscriptionId: change.old.subscription_id,
          service: change.old.service,
          unit: change.old.unit,
          currency: change.old.currency.trim(),
          nowMs: change.old.started_at.getTime(),
        };
        const taken = takeFrom(
          moneyBucketsFor(
            own.map((b) => b.bucket),
            scope,
          ),
          wanted,
        );
        for (const hold of taken.holds)
          own.find((b) => b.bucket.id === hold.bucketId)!.bucket.balance -= hold.amount;
        entries.push(...debitEntries(taken.holds, scope.currency, 'usage'));
        newDebited += sumHolds(taken.holds);
      } else if (wanted < 0n) {
        // Money back, at most what the record had taken.
        const refund = -wanted < oldDebited ? -wanted : oldDebited;
        const main = own.find((b) => b.isMain);
        if (main !== undefined && refund > 0n) {
          main.bucket.balance += refund;
          entries.push(...creditEntries(main.bucket.id, change.old.currency.trim(), refund, 'usage'));
          newDebited -= refund;
        }
      }
      result.set(String(change.old.id), {
        debitedMicros: newDebited,
        transactionId: newDebited === oldDebited ? null : transactionId,
      });
    }
    if (entries.length > 0) transactions.push({ id: transactionId, accountId, entries });
  }
  if (transactions.length === 0) return result;
  for (const transaction of transactions) {
    await trx
      .insertInto('ledger_transactions')
      .values({
        id: transaction.id,
        tenant_id: tenantId,
        account_id: transaction.accountId,
        kind: 'charge',
        reference: `rerate:${runId}`,
        description: 'Rerated usage',
      })
      .execute();
    await trx
      .insertInto('ledger_entries')
      .values(
        transaction.entries.map((e) => ({
          tenant_id: tenantId,
          account_id: transaction.accountId,
          transaction_id: transaction.id,
          bucket_id: e.bucketId,
          book: e.book,
          unit: e.unit,
          amount: e.amount,
        })),
      )
      .execute();
  }
  const moved = new Set(transactions.flatMap((t) => t.entries.map((e) => e.bucketId)));
  for (const { bucket } of buckets.filter((b) => moved.has(b.bucket.id)))
    await trx
      .updateTable('balance_buckets')
      .set({ balance: bucket.balance, updated_at: sql<Date>`now()` })
      .where('id', '=', bucket.id)
      .execute();
  return result;
}

/** A reversal of each old charge and the new charge, both appended; the old row stays as it was. */
async function writeRerated(
  trx: Transaction<Database>,
  tenantId: string,
  runId: string,
  changes: readonly Change[],
  debits: ReadonlyMap<string, { debitedMicros: bigint; transactionId: string | null }>,
): Promise<void> {
  const rows = changes.flatMap(({ old, listMicros, chargedMicros, tariffVersionId, explanation }) => {
    const debit = debits.get(String(old.id))!;
    const common = {
      tenant_id: tenantId,
      account_id: old.account_id,
      subscription_id: old.subscription_id,
      source_id: old.source_id,
      record_key: old.record_key,
      file_id: old.file_id,
      line_number: old.line_number === null ? null : BigInt(old.line_number),
      started_at: old.started_at,
      service: old.service,
      direction: old.direction,
      subscriber: old.subscriber,
      destination: old.destination,
      unit: old.unit,
      currency: old.currency.trim(),
      settlement: old.settlement,
      charging_session_id: null,
      rerate_id: runId,
    };
    const reversal: RerateInsert = {
      ...common,
      entry: 'reversal',
      reverses_id: BigInt(old.id),
      units: -BigInt(old.units),
      list_micros: -BigInt(old.list_micros),
      allowance_units: -BigInt(old.allowance_units),
      charged_micros: -BigInt(old.charged_micros),
      debited_micros: -BigInt(old.debited_micros),
      ledger_transaction_id: null,
      tariff_version_id: old.tariff_version_id,
      explanation: JSON.stringify(old.explanation),
    };
    const charge: RerateInsert = {
      ...common,
      entry: 'charge',
      reverses_id: null,
      units: BigInt(old.units),
      list_micros: listMicros,
      allowance_units: BigInt(old.allowance_units),
      charged_micros: chargedMicros,
      debited_micros: debit.debitedMicros,
      ledger_transaction_id: debit.transactionId,
      tariff_version_id: tariffVersionId,
      explanation,
    };
    return [reversal, charge];
  });
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('rated_usage')
      .values(rows.slice(i, i + 500))
      .execute();
}

type RerateInsert = Insertable<RatedUsageTable>;

/** The API view of a rerate report: exact decimals in each account's currency. */
export function rerateReportView(report: RerateReport) {
  return {
    id: report.id,
    examined: report.examined,
    changed: report.changed,
    failed: report.failed,
    skippedOnline: report.skippedOnline,
    failures: [...report.failures],
    differences: report.differences.map((d) => ({
      accountId: d.accountId,
      currency: d.currency,
      records: d.records,
      before: formatMoneyAmount(d.beforeMicros, d.currency),
      after: formatMoneyAmount(d.afterMicros, d.currency),
      difference: formatMoneyAmount(d.differenceMicros, d.currency),
    })),
  };
}
