import { type CursorPosition, decodeCursor } from '../http/pagination.js';
import { HttpProblem } from '../http/problem.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * decodeCursor, and the id inside checked to be a uuid: the cursor is client text, and a forged
 * one must be a 400, not a database error about a bad uuid.
 */
export function decodeListCursor(cursor: string | undefined): CursorPosition | null {
  const position = decodeCursor(cursor);
  if (position !== null && !UUID_PATTERN.test(position.id)) {
    throw new HttpProblem('invalid_cursor', 'cursor is not one this API returned', [
      { field: '/cursor', message: 'invalid' },
    ]);
  }
  return position;
}
