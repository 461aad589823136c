import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../db/database-schema.js';
import type { RatedUsageTable } from './mediation-tables.js';

export interface RatedUsageFilters {
  readonly accountId?: string | undefined;
  readonly subscriptionId?: string | undefined;
  readonly sourceId?: string | undefined;
  readonly fileId?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

/** Where a page of rated usage starts: after this (started_at, id). */
export interface RatedUsagePosition {
  readonly startedAt: Date;
  readonly id: bigint;
}

/** Rated usage by start time (then id), charges and reversals alike: the history as written. */
export async function listRatedUsage(
  db: Kysely<Database>,
  tenantId: string,
  filters: RatedUsageFilters,
  after: RatedUsagePosition | null,
  rows: number,
): Promise<Selectable<RatedUsageTable>[]> {
  return db
    .selectFrom('rated_usage')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filters.accountId !== undefined, (q) => q.where('account_id', '=', filters.accountId!))
    .$if(filters.subscriptionId !== undefined, (q) =>
      q.where('subscription_id', '=', filters.subscriptionId!),
    )
    .$if(filters.sourceId !== undefined, (q) => q.where('source_id', '=', filters.sourceId!))
    .$if(filters.fileId !== undefined, (q) => q.where('file_id', '=', filters.fileId!))
    .$if(filters.from !== undefined, (q) => q.where('started_at', '>=', filters.from!))
    .$if(filters.to !== undefined, (q) => q.where('started_at', '<', filters.to!))
    .$if(after !== null, (q) =>
      q.where(sql<boolean>`(started_at, id) > (${after!.startedAt}, ${after!.id.toString()}::int8)`),
    )
    .orderBy('started_at')
    .orderBy('id')
    .limit(rows)
    .execute();
}

export function encodeRatedUsageCursor(position: RatedUsagePosition): string {
  return Buffer.from(JSON.stringify([position.startedAt.toISOString(), position.id.toString()])).toString(
    'base64url',
  );
}

export function decodeRatedUsageCursor(cursor: string): RatedUsagePosition | null {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof startedAt !== 'string' || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) return null;
    const date = new Date(startedAt);
    return Number.isNaN(date.getTime()) ? null : { startedAt: date, id: BigInt(id) };
  } catch {
    return null;
  }
}

export async function listFileRuns(
  db: Kysely<Database>,
  tenantId: string,
  filters: { readonly sourceId?: string | undefined; readonly status?: string | undefined },
  after: { readonly createdAt: Date; readonly id: string } | null,
  order: 'asc' | 'desc',
  rows: number,
) {
  const query = db
    .selectFrom('usage_files')
    .selectAll()
    .select('started_at as created_at')
    .where('tenant_id', '=', tenantId)
    .$if(filters.sourceId !== undefined, (q) => q.where('source_id', '=', filters.sourceId!))
    .$if(filters.status !== undefined, (q) => q.where('status', '=', filters.status as 'done'));
  const paged =
    after === null
      ? query
      : query.where(
          sql<boolean>`(started_at, id) ${sql.raw(order === 'asc' ? '>' : '<')} (${after.createdAt}, ${after.id}::uuid)`,
        );
  return paged.orderBy('started_at', order).orderBy('id', order).limit(rows).execute();
}
