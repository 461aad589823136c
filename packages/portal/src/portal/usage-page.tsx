import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { lineLabel } from '../api/types.js';
import { dateTime } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { toMicros } from '../ui/exact-decimal.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { firstOfMonth, isIsoDate, nextDay, startOfDay, today } from './account-days.js';
import type { RatedUsage } from './portal-api.js';
import { isMissingRoute } from './portal-api.js';
import { useAccountLines, usePortal } from './portal-context.js';
import { preciseMoney } from './price-format.js';
import { useQuantities } from './quantity-format.js';
import { UsageCharts } from './usage-charts.js';
import { useUsageSummary } from './usage-summary.js';
import { usageTexts } from './usage-texts.js';

const PAGE_SIZE = 50;

/**
 * The usage of a period (the current month unless the address says otherwise: ?from, ?to, ?line,
 * as an invoice's usage line links here): charts with their tables, then every record with a
 * link to why it cost what it cost, and the CSV of it all.
 */
export function UsagePage() {
  const t = useMessages(usageTexts);
  const { account } = usePortal();
  const lines = useAccountLines();
  const [params, setParams] = useSearchParams();
  const todayIso = today(account.timeZone);
  const from = isIsoDate(params.get('from')) ? (params.get('from') as string) : firstOfMonth(todayIso);
  const to = isIsoDate(params.get('to')) ? (params.get('to') as string) : todayIso;
  const lineParam = params.get('line');
  const line = lines.some((l) => l.id === lineParam) ? (lineParam as string) : '';

  // The summary and the CSV take local days (to included); the record list takes instants.
  const days = { from, to, ...(line === '' ? {} : { subscriptionId: line }) };
  const range = {
    from: startOfDay(from, account.timeZone),
    to: startOfDay(nextDay(to), account.timeZone),
    ...(line === '' ? {} : { subscriptionId: line }),
  };
  const summary = useUsageSummary(account.id, days);
  const csv = `/v1/accounts/${account.id}/usage.csv${query(days)}`;

  return (
    <Page
      title={t('title')}
      actions={
        <a className="button secondary" href={csv} download>
          {t('downloadCsv')}
        </a>
      }
    >
      <RangeForm
        key={`${from}/${to}/${line}`}
        initial={{ from, to, line }}
        onApply={(next) => {
          const search = new URLSearchParams({ from: next.from, to: next.to });
          if (next.line !== '') search.set('line', next.line);
          setParams(search);
        }}
      />
      <p className="figure-note">{t('rangeNote', { zone: account.timeZone })}</p>
      <section aria-labelledby="usage-charts">
        <h2 id="usage-charts" className="section-title">
          {t('charts')}
        </h2>
        {summary.isPending ? (
          <Loading />
        ) : summary.isError ? (
          isMissingRoute(summary.error) ? (
            <p className="state">{t('chartsUnavailable')}</p>
          ) : (
            <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
          )
        ) : summary.data.total.records === 0 ? (
          <Empty>{t('noUsage')}</Empty>
        ) : (
          <UsageCharts summary={summary.data} range={{ from, to }} />
        )}
      </section>
      <UsageRecords
        accountId={account.id}
        range={range}
        lineNames={new Map(lines.map((l) => [l.id, lineLabel(l)]))}
      />
    </Page>
  );
}

function RangeForm({
  initial,
  onApply,
}: {
  initial: { from: string; to: string; line: string };
  onApply: (range: { from: string; to: string; line: string }) => void;
}) {
  const t = useMessages(usageTexts);
  const lines = useAccountLines();
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [line, setLine] = useState(initial.line);
  const [error, setError] = useState<string | undefined>(undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!isIsoDate(from) || !isIsoDate(to) || to < from) {
      setError(t('rangeInvalid'));
      return;
    }
    setError(undefined);
    onApply({ from, to, line });
  }

  return (
    <form className="card form" onSubmit={submit}>
      <div className="form-row">
        <Field
          label={t('from')}
          type="date"
          required
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <Field
          label={t('to')}
          type="date"
          required
          min={from}
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
        {lines.length > 1 ? (
          <SelectField label={t('line')} value={line} onChange={(e) => setLine(e.target.value)}>
            <option value="">{t('allLines')}</option>
            {lines.map((l) => (
              <option key={l.id} value={l.id}>
                {lineLabel(l)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <button type="submit" className="button primary">
          {t('show')}
        </button>
      </div>
      <FormMessage error={error} />
    </form>
  );
}

/** The period's rated records, a page at a time, with filters on what is loaded. */
function UsageRecords({
  accountId,
  range,
  lineNames,
}: {
  accountId: string;
  range: { from: string; to: string; subscriptionId?: string };
  lineNames: ReadonlyMap<string, string>;
}) {
  const t = useMessages(usageTexts);
  const f = useLocale();
  const q = useQuantities();
  const { account } = usePortal();
  const zoned = { ...f, timeZone: account.timeZone };
  const [service, setService] = useState('');
  const [onlyCharged, setOnlyCharged] = useState(false);
  const records = useInfiniteQuery({
    queryKey: ['account', accountId, 'rated-usage', range.from, range.to, range.subscriptionId ?? null],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api<ApiPage<RatedUsage>>(
        `/v1/rated-usage${query({
          accountId,
          subscriptionId: range.subscriptionId,
          from: range.from,
          to: range.to,
          limit: PAGE_SIZE,
          cursor: pageParam,
        })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const loaded = records.data?.pages.flatMap((page) => page.items) ?? [];
  const services = [...new Set(loaded.map((r) => r.service))];
  const shown = loaded.filter(
    (r) => (service === '' || r.service === service) && (!onlyCharged || toMicros(r.charged) !== 0n),
  );
  const filtered = service !== '' || onlyCharged;

  return (
    <section aria-labelledby="usage-records">
      <h2 id="usage-records" className="section-title">
        {t('list')}
      </h2>
      <p className="figure-note">{t('listNote')}</p>
      {records.isPending ? (
        <Loading />
      ) : records.isError && loaded.length === 0 ? (
        <ErrorState error={records.error} onRetry={() => void records.refetch()} />
      ) : loaded.length === 0 ? (
        <Empty>{t('noRecords')}</Empty>
      ) : (
        <Card>
          <div className="form-row">
            <SelectField
              label={t('filterService')}
              value={service}
              onChange={(e) => setService(e.target.value)}
            >
              <option value="">{t('anyService')}</option>
              {services.map((s) => (
                <option key={s} value={s}>
                  {q.service(s)}
                </option>
              ))}
            </SelectField>
            <label className="check">
              <input
                type="checkbox"
                checked={onlyCharged}
                onChange={(e) => setOnlyCharged(e.target.checked)}
              />{' '}
              {t('onlyCharged')}
            </label>
          </div>
          {filtered ? (
            <p className="figure-note" role="status">
              {t('filterNote', { shown: shown.length, loaded: loaded.length })}
            </p>
          ) : null}
          {shown.length === 0 ? (
            <Empty>{t('noMatch')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data stack">
                <caption className="visually-hidden">{t('list')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('when')}</th>
                    {lineNames.size > 1 ? <th scope="col">{t('line')}</th> : null}
                    <th scope="col">{t('service')}</th>
                    <th scope="col">{t('number')}</th>
                    <th scope="col" className="num">
                      {t('used')}
                    </th>
                    <th scope="col" className="num">
                      {t('allowance')}
                    </th>
                    <th scope="col" className="num">
                      {t('charged')}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t('details')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((record) => {
                    const when = dateTime(zoned, record.startedAt);
                    return (
                      <tr key={record.id}>
                        <td data-label={t('when')}>
                          {when}
                          {record.entry === 'reversal' ? (
                            <>
                              {' '}
                              <span className="badge neutral">{t('correction')}</span>
                            </>
                          ) : null}
                        </td>
                        {lineNames.size > 1 ? (
                          <td data-label={t('line')}>
                            {lineNames.get(record.subscriptionId) ?? record.subscriber}
                          </td>
                        ) : null}
                        <td data-label={t('service')}>{q.service(record.service)}</td>
                        <td data-label={t('number')}>
                          {record.destination === '' ? '—' : record.destination}
                        </td>
                        <td data-label={t('used')} className="num">
                          {q.usage(record.unit, record.units)}
                        </td>
                        <td data-label={t('allowance')} className="num">
                          {record.allowanceUnits === '0' ? '—' : q.usage(record.unit, record.allowanceUnits)}
                        </td>
                        <td data-label={t('charged')} className="num">
                          {preciseMoney(f, record.charged, record.currency)}
                        </td>
                        <td data-label={t('details')}>
                          <Link to={`/portal/usage/${record.id}`} aria-label={t('detailsOf', { when })}>
                            {t('details')}
                          </Link>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {records.isError ? (
            <ErrorState error={records.error} onRetry={() => void records.fetchNextPage()} />
          ) : null}
          {records.hasNextPage ? (
            <p>
              <button
                type="button"
                className="button secondary"
                disabled={records.isFetchingNextPage}
                onClick={() => void records.fetchNextPage()}
              >
                {records.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
              </button>
            </p>
          ) : null}
        </Card>
      )}
    </section>
  );
}
