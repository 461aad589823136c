import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReportColumn, ReportTable } from '../api/types.js';
import { num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { chartNumber, reportValue, rowCurrency } from './report-value.js';

/** Colours apart enough for common colour blindness; lines also differ by dash, so no series is told by colour alone. */
const SERIES_COLOURS = ['#0b5cad', '#c25e00', '#1d7a3e', '#7a3e9d', '#a3223a', '#4f5b66'];
const SERIES_DASHES = ['', '6 3', '2 3', '10 4 2 4', '4 4', '1 2'];
const CHART_HEIGHT = 280;
const colourOf = (index: number) => SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#0b5cad';
const dashOf = (index: number) => SERIES_DASHES[index % SERIES_DASHES.length] ?? '';
/** Beyond this many series a chart is unreadable; the table keeps them all. */
const MAX_SERIES = 6;

interface Point {
  readonly x: string;
  readonly row: Readonly<Record<string, string | null>>;
  readonly [series: `s${number}`]: number;
}

/**
 * A report drawn as its `chart` hint says: x is one column, each series another. Heights come
 * from the exact strings parsed for drawing only; the tooltip and the table beside the chart show
 * the strings themselves. The drawing is one image to assistive technology, named by a sentence;
 * the table under it carries every figure.
 */
export function ReportChart({ report }: { report: ReportTable }) {
  const f = useLocale();
  const chart = report.chart;
  if (chart === null || report.rows.length === 0) return null;
  const byKey = new Map(report.columns.map((column) => [column.key, column]));
  const xColumn = byKey.get(chart.x) ?? { key: chart.x, label: chart.x, type: 'text' as const };
  const series = chart.series
    .map((key) => byKey.get(key))
    .filter((column): column is ReportColumn => column !== undefined)
    .slice(0, MAX_SERIES);
  if (series.length === 0) return null;
  const points: Point[] = report.rows.map((row) => {
    const point: Record<string, unknown> = {
      x: reportValue(f, xColumn, row[chart.x], report.currency),
      row,
    };
    series.forEach((column, index) => {
      point[`s${index}`] = chartNumber(row[column.key]);
    });
    return point as unknown as Point;
  });
  const first = points[0]?.x ?? '';
  const last = points[points.length - 1]?.x ?? '';
  const summary = `${report.title}: ${series.map((s) => s.label).join(', ')} by ${xColumn.label.toLowerCase()}, ${num(f, points.length)} ${points.length === 1 ? 'point' : 'points'} from ${first} to ${last}. The table below gives every figure.`;
  const seriesName = (index: number) => series[index]?.label ?? '';
  const tooltip = (
    <Tooltip
      formatter={(_value, name, item) => {
        const index = Number(String(item.dataKey ?? name).slice(1));
        const column = series[index];
        const row = (item.payload as Point).row;
        return column === undefined
          ? [String(_value), String(name)]
          : [reportValue(f, column, row[column.key], rowCurrency(row, report.currency)), column.label];
      }}
    />
  );
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="x" minTickGap={12} />
      <YAxis width={64} tickFormatter={(v: number) => num(f, v, 2)} />
      {tooltip}
      <Legend formatter={(value: string) => seriesName(Number(value.slice(1)))} />
    </>
  );
  return (
    <figure className="data-figure report-figure">
      <figcaption className="visually-hidden">{summary}</figcaption>
      <div className="data-figure-chart" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          {chart.kind === 'line' ? (
            <LineChart data={points} accessibilityLayer={false}>
              {axes}
              {series.map((column, index) => (
                <Line
                  key={column.key}
                  type="monotone"
                  dataKey={`s${index}`}
                  name={`s${index}`}
                  stroke={colourOf(index)}
                  strokeDasharray={dashOf(index)}
                  strokeWidth={2}
                  dot={points.length <= 40}
                />
              ))}
            </LineChart>
          ) : (
            <BarChart data={points} accessibilityLayer={false}>
              {axes}
              {series.map((column, index) => (
                <Bar key={column.key} dataKey={`s${index}`} name={`s${index}`} fill={colourOf(index)} />
              ))}
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
