import { type Static, Type } from '@sinclair/typebox';
import type { KeysetPosition } from '../db/keyset-page.js';
import { HttpProblem } from './problem.js';

export const DEFAULT_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PAGE_SIZE = 200;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  order: Type.Optional(
    Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
      default: 'asc',
      description: 'by creation time',
    }),
  ),
});
export type PageQuery = Static<typeof PageQuery>;

/** A list page: items and the cursor of the next page (null on the last page). */
export function Page<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Where a page starts: after this (created_at, id), in the list's order (see keysetPage). */
export type CursorPosition = KeysetPosition;

/**
 * Cursors are opaque to clients: base64url of the last item's creation time and id. Keyset
 * pagination stays fast and stable while rows are added, unlike offsets.
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    const date = typeof createdAt === 'string' ? new Date(createdAt) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string' || !UUID.test(id))
      throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new HttpProblem('invalid_cursor', 'cursor is not one this API returned', [
      { field: '/cursor', message: 'invalid' },
    ]);
  }
}

/** Items of one page fetched with limit + 1 rows: the extra row says whether there is a next page. */
export function pageOf<Row extends { created_at: Date; id: string }, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toItem),
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}
