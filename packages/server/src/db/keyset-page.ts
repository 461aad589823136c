import { type SelectQueryBuilder, sql } from 'kysely';

/** Where a page starts: after this (created_at, id), in the list's order. */
export interface KeysetPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * One page of a list ordered by (created_at, id): rows after the cursor position, in the list's
 * order, `rows` of them. Keyset pagination stays fast and stable while rows are added; instants
 * are stored to the millisecond, as cursors carry them, so no row repeats or goes missing.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  after: KeysetPosition | null,
  order: 'asc' | 'desc',
  rows: number,
): SelectQueryBuilder<DB, TB, O> {
  const page =
    after === null
      ? query
      : query.where(
          sql<boolean>`(created_at, id) ${sql.raw(order === 'asc' ? '>' : '<')} (${after.createdAt}, ${after.id}::uuid)`,
        );
  return page.orderBy(sql`created_at`, order).orderBy(sql`id`, order).limit(rows);
}
