import { useState } from 'react';

/**
 * Cursor pagination as a reader moves through it: the cursors of the pages already seen are kept,
 * so "Previous" goes back without the API offering a backward cursor.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  return {
    cursor,
    page: cursors.length,
    next: (nextCursor: string) => setCursors((seen) => [...seen, nextCursor]),
    previous: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    reset: () => setCursors([undefined]),
  };
}

export function Pager({
  pages,
  nextCursor,
  label = 'Pages',
  previousLabel = 'Previous page',
  nextLabel = 'Next page',
  pageLabel = (page: number) => `Page ${page}`,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
  label?: string;
  previousLabel?: string;
  nextLabel?: string;
  pageLabel?: (page: number) => string;
}) {
  if (pages.page === 1 && (nextCursor === null || nextCursor === undefined)) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button secondary" disabled={pages.page === 1} onClick={pages.previous}>
        {previousLabel}
      </button>
      <span>{pageLabel(pages.page)}</span>
      <button
        type="button"
        className="button secondary"
        disabled={nextCursor === null || nextCursor === undefined}
        onClick={() => {
          if (nextCursor !== null && nextCursor !== undefined) pages.next(nextCursor);
        }}
      >
        {nextLabel}
      </button>
    </nav>
  );
}
