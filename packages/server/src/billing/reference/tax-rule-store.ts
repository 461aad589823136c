import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import { keysetPage } from '../../db/keyset-page.js';
import type { CursorPosition } from '../../http/pagination.js';
import type { TaxRuleTable } from '../billing-tables.js';
import type { TaxRule } from './tax-rule-schemas.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type TaxRuleRow = Selectable<TaxRuleTable>;

export function toTaxRule(row: TaxRuleRow): TaxRule {
  return {
    id: row.id,
    jurisdiction: row.jurisdiction,
    category: row.category,
    version: row.version,
    effectiveFrom: row.effective_from.toISOString(),
    effectiveTo: row.effective_to === null ? null : row.effective_to.toISOString(),
    components: row.components.map((component) => ({ ...component })),
    createdAt: row.created_at.toISOString(),
  };
}

/** One tax rule version of one tenant; another tenant's id reads as absent. */
export async function findTaxRule(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<TaxRuleRow | undefined> {
  return db
    .selectFrom('tax_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The highest version of (jurisdiction, category) so far; 0 before the first. */
export async function lastTaxRuleVersion(
  db: Executor,
  tenantId: string,
  jurisdiction: string,
  category: string,
): Promise<number> {
  const row = await db
    .selectFrom('tax_rules')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('tenant_id', '=', tenantId)
    .where('jurisdiction', '=', jurisdiction)
    .where('category', '=', category)
    .executeTakeFirst();
  return row?.version ?? 0;
}

export interface TaxRulePageRequest {
  readonly filters: { readonly jurisdiction: string | undefined; readonly category: string | undefined };
  readonly after: CursorPosition | null;
  readonly order: 'asc' | 'desc';
  /** Rows to fetch: the page size plus one, which tells whether another page follows. */
  readonly rows: number;
}

/** A page of a tenant's tax rule versions by creation time (keyset pagination on (created_at, id)). */
export async function listTaxRules(
  db: Executor,
  tenantId: string,
  request: TaxRulePageRequest,
): Promise<TaxRuleRow[]> {
  const { filters } = request;
  let query = db.selectFrom('tax_rules').selectAll().where('tenant_id', '=', tenantId);
  if (filters.jurisdiction !== undefined) query = query.where('jurisdiction', '=', filters.jurisdiction);
  if (filters.category !== undefined) query = query.where('category', '=', filters.category);
  return keysetPage(query, request.after, request.order, request.rows).execute();
}
