import type { ReactNode } from 'react';

export interface Column<T> {
  readonly header: string;
  readonly numeric?: boolean;
  readonly cell: (row: T) => ReactNode;
}

/**
 * A chart with its text alternative: the chart is one image to assistive technology, named by a
 * sentence that says what it shows, and the same figures follow in a table that anyone can open
 * (a screen reader, a keyboard user, someone who wants the exact numbers).
 */
export function DataFigure<T>({
  title,
  summary,
  chart,
  tableLabel,
  columns,
  rows,
  rowKey,
}: {
  title: string;
  summary: string;
  chart: ReactNode;
  tableLabel: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
}) {
  return (
    <figure className="data-figure">
      <figcaption>
        <h3 className="data-figure-title">{title}</h3>
        <p className="figure-note">{summary}</p>
      </figcaption>
      <div className="data-figure-chart" role="img" aria-label={summary}>
        {chart}
      </div>
      <details className="data-figure-table">
        <summary>{tableLabel}</summary>
        <SimpleTable caption={title} columns={columns} rows={rows} rowKey={rowKey} />
      </details>
    </figure>
  );
}

/** A plain data table that folds into label/value rows on a phone (table.data.stack). */
export function SimpleTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
}) {
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.numeric === true ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td
                  key={column.header}
                  data-label={column.header}
                  className={column.numeric === true ? 'num' : undefined}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
