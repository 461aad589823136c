import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, query } from '../api/client.js';
import type { ReportInfo, ReportInterval, ReportTable } from '../api/types.js';
import { date, dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Field, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, QueryView } from '../ui/query-view.js';
import { keys } from './query-keys.js';
import { ReportChart } from './report-chart.js';
import { isNumericColumn, reportValue, rowCurrency } from './report-value.js';

const INTERVALS: readonly ReportInterval[] = ['day', 'week', 'month'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The report's filters as they stand in the address (empty = the report's default). */
interface ReportFilters {
  readonly from: string;
  readonly to: string;
  readonly interval: string;
  readonly currency: string;
}

function filtersOf(params: URLSearchParams): ReportFilters {
  return {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    interval: params.get('interval') ?? '',
    currency: params.get('currency') ?? '',
  };
}

/** Only the filters the report takes, so a filter left over from another report is not sent. */
function requestParams(report: ReportInfo, filters: ReportFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of report.parameters) if (filters[name] !== '') params[name] = filters[name];
  return params;
}

/**
 * Reports on revenue, usage and operations: pick one, set its period (and interval or currency
 * where it takes them), and read it as a chart and a table, or download it as CSV. The report and
 * its filters are in the address, so a link shows the same figures.
 */
export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  const reports = useQuery({
    queryKey: keys.reports,
    queryFn: ({ signal }) => api<{ items: ReportInfo[] }>('/v1/reports', { signal }),
    staleTime: 5 * 60_000,
  });
  return (
    <Page title="Reports">
      <QueryView
        query={reports}
        isEmpty={(data) => data.items.length === 0}
        empty="No reports are available."
      >
        {(data) => {
          const chosen = data.items.find((r) => r.name === params.get('report')) ?? data.items[0];
          if (chosen === undefined) return <Empty />;
          return (
            <>
              <ReportFiltersForm
                key={`${chosen.name}:${params.toString()}`}
                reports={data.items}
                report={chosen}
                filters={filtersOf(params)}
                onChoose={(name) => {
                  const next = new URLSearchParams(params);
                  next.set('report', name);
                  setParams(next, { replace: true });
                }}
                onApply={(filters) =>
                  setParams({ report: chosen.name, ...requestParams(chosen, filters) }, { replace: true })
                }
              />
              <ReportView report={chosen} filters={requestParams(chosen, filtersOf(params))} />
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}

function ReportFiltersForm({
  reports,
  report,
  filters,
  onChoose,
  onApply,
}: {
  reports: readonly ReportInfo[];
  report: ReportInfo;
  filters: ReportFilters;
  onChoose: (name: string) => void;
  onApply: (filters: ReportFilters) => void;
}) {
  const [draft, setDraft] = useState<ReportFilters>(filters);
  const [invalid, setInvalid] = useState<{ from?: string; to?: string; currency?: string }>({});
  const takes = (name: keyof ReportFilters) => report.parameters.includes(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      ...(draft.from !== '' && !ISO_DATE.test(draft.from) ? { from: 'A date like 2026-01-31' } : {}),
      ...(draft.to !== '' && !ISO_DATE.test(draft.to) ? { to: 'A date like 2026-01-31' } : {}),
      ...(draft.from !== '' && draft.to !== '' && draft.from > draft.to
        ? { to: 'The end comes on or after the start' }
        : {}),
      ...(draft.currency !== '' && !/^[A-Z]{3}$/.test(draft.currency)
        ? { currency: 'Three capital letters, like EUR' }
        : {}),
    };
    setInvalid(problems);
    if (Object.keys(problems).length === 0) onApply(draft);
  };
  return (
    <Card>
      <form className="form" onSubmit={submit} noValidate aria-label="Report filters">
        <SelectField label="Report" value={report.name} onChange={(event) => onChoose(event.target.value)}>
          {reports.map((r) => (
            <option key={r.name} value={r.name}>
              {r.title}
            </option>
          ))}
        </SelectField>
        {report.description === '' ? null : <p className="hint">{report.description}</p>}
        <div className="form-row">
          {takes('from') ? (
            <Field
              label="From"
              type="date"
              hint="Empty: the report's default period"
              value={draft.from}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
              error={invalid.from}
            />
          ) : null}
          {takes('to') ? (
            <Field
              label="To"
              type="date"
              hint="Inclusive"
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
              error={invalid.to}
            />
          ) : null}
          {takes('interval') ? (
            <SelectField
              label="Interval"
              value={draft.interval}
              onChange={(event) => setDraft({ ...draft, interval: event.target.value })}
            >
              <option value="">Default</option>
              {INTERVALS.map((interval) => (
                <option key={interval} value={interval}>
                  {interval === 'day' ? 'Day' : interval === 'week' ? 'Week' : 'Month'}
                </option>
              ))}
            </SelectField>
          ) : null}
          {takes('currency') ? (
            <Field
              label="Currency"
              hint="Empty: every currency"
              maxLength={3}
              value={draft.currency}
              onChange={(event) => setDraft({ ...draft, currency: event.target.value.toUpperCase() })}
              error={invalid.currency}
            />
          ) : null}
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            Show report
          </button>
        </div>
      </form>
    </Card>
  );
}

function ReportView({ report, filters }: { report: ReportInfo; filters: Record<string, string> }) {
  const f = useLocale();
  const table = useQuery({
    queryKey: keys.report(report.name, filters),
    queryFn: ({ signal }) =>
      api<ReportTable>(`/v1/reports/${encodeURIComponent(report.name)}${query(filters)}`, { signal }),
    placeholderData: keepPreviousData,
  });
  const csvHref = `/v1/reports/${encodeURIComponent(report.name)}${query({ ...filters, format: 'csv' })}`;
  return (
    <Card title={report.title}>
      <p className="actions">
        <a className="button secondary" href={csvHref} download={`${report.name}.csv`}>
          Download CSV
        </a>
      </p>
      <QueryView query={table}>
        {(data) => (
          <>
            <p className="figure-note">
              {date(f, data.from)} – {date(f, data.to)}
              {data.interval === null ? '' : ` · per ${data.interval}`}
              {data.currency === null ? '' : ` · ${data.currency}`} · {num(f, data.rows.length)}{' '}
              {data.rows.length === 1 ? 'row' : 'rows'} · generated {dateTime(f, data.generatedAt)}
            </p>
            {data.rows.length === 0 ? (
              <Empty>Nothing to report for this period.</Empty>
            ) : (
              <>
                <ReportChart report={data} />
                <ReportRows report={data} />
              </>
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}

/** The report's rows as they came, each value written by its column's type. */
function ReportRows({ report }: { report: ReportTable }) {
  const f = useLocale();
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">{report.title}</caption>
        <thead>
          <tr>
            {report.columns.map((column) => (
              <th key={column.key} scope="col" className={isNumericColumn(column) ? 'num' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id; their order is the report's
            <tr key={index}>
              {report.columns.map((column) => (
                <td
                  key={column.key}
                  data-label={column.label}
                  className={isNumericColumn(column) ? 'num' : undefined}
                >
                  {reportValue(f, column, row[column.key], rowCurrency(row, report.currency))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
