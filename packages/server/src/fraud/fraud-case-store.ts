import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { KeysetPosition } from '../db/keyset-page.js';
import type { FraudCaseStatus, FraudRuleKind } from './fraud-rules.js';

/** A case as the API shows it. */
export interface FraudCase {
  readonly id: string;
  readonly kind: FraudRuleKind;
  readonly status: FraudCaseStatus;
  readonly customerId: string;
  readonly customerName: string;
  readonly accountId: string;
  readonly subscriptionId: string;
  readonly identifier: string | null;
  readonly summary: string;
  readonly evidence: Record<string, unknown>;
  readonly occurrences: number;
  readonly barred: boolean;
  readonly openedAt: string;
  readonly lastSeenAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly reason: string | null;
}

export interface FraudCaseFilter {
  readonly status?: FraudCaseStatus | undefined;
  readonly subscriptionId?: string | undefined;
  readonly customerId?: string | undefined;
}

type Db = Kysely<Database> | Transaction<Database>;

function casesWithNames(db: Db, tenantId: string) {
  return db
    .selectFrom('fraud_cases as f')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'f.tenant_id').onRef('c.id', '=', 'f.customer_id'),
    )
    .select([
      'f.id',
      'f.kind',
      'f.status',
      'f.customer_id',
      'c.display_name as customer_name',
      'f.account_id',
      'f.subscription_id',
      'f.summary',
      'f.evidence',
      'f.occurrences',
      'f.barred',
      'f.opened_at',
      'f.last_seen_at',
      'f.decided_at',
      'f.decided_by',
      'f.reason',
      'f.created_at',
      // The line's MSISDN (else any identifier) now, as staff know the line.
      sql<string | null>`(select i.value from subscription_identifiers i
        where i.tenant_id = f.tenant_id and i.subscription_id = f.subscription_id
        order by (i.valid_to is null) desc, (i.kind = 'msisdn') desc, i.valid_from desc limit 1)`.as(
        'identifier',
      ),
    ])
    .where('f.tenant_id', '=', tenantId);
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof casesWithNames>['executeTakeFirstOrThrow']>>;

export function toFraudCase(row: CaseRow): FraudCase {
  const evidence = typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    customerId: row.customer_id,
    customerName: row.customer_name,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    identifier: row.identifier,
    summary: row.summary,
    evidence: evidence as Record<string, unknown>,
    occurrences: row.occurrences,
    barred: row.barred,
    openedAt: row.opened_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    decidedAt: row.decided_at === null ? null : row.decided_at.toISOString(),
    decidedBy: row.decided_by,
    reason: row.reason,
  };
}

export async function findFraudCase(db: Db, tenantId: string, id: string): Promise<FraudCase | undefined> {
  const row = await casesWithNames(db, tenantId).where('f.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toFraudCase(row);
}

/** Cases of the tenant, newest first, one keyset page (rows + 1 to tell whether more follow). */
export async function listFraudCases(
  db: Db,
  tenantId: string,
  filter: FraudCaseFilter,
  after: KeysetPosition | null,
  rows: number,
): Promise<(FraudCase & { readonly createdAt: Date })[]> {
  let query = casesWithNames(db, tenantId);
  if (filter.status !== undefined) query = query.where('f.status', '=', filter.status);
  if (filter.subscriptionId !== undefined)
    query = query.where('f.subscription_id', '=', filter.subscriptionId);
  if (filter.customerId !== undefined) query = query.where('f.customer_id', '=', filter.customerId);
  // Keyset on the case's own columns (the customers joined have created_at and id too).
  if (after !== null)
    query = query.where(sql<boolean>`(f.created_at, f.id) < (${after.createdAt}, ${after.id}::uuid)`);
  const found = await query.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(rows).execute();
  return found.map((row) => ({ ...toFraudCase(row), createdAt: row.created_at }));
}
