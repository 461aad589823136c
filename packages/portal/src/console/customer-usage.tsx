import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { lineLabel } from '../api/types.js';
import { dateTime, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Dialog } from '../ui/dialog.js';
import { Field, SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Account, RatedUsage } from './console-types.js';
import { keys } from './query-keys.js';
import { usageQuantity } from './usage-quantity.js';
import { useLines } from './use-lines.js';

const USAGE_PAGE_SIZE = 25;
const DEFAULT_DAYS_BACK = 7;

/** A date field's value (YYYY-MM-DD) some days before today, in the browser's zone. */
function daysAgo(days: number): string {
  const day = new Date();
  day.setDate(day.getDate() - days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The instant a date field's day starts in the browser's zone, or undefined when empty. */
function startOfDay(value: string): string | undefined {
  if (value === '') return undefined;
  const instant = new Date(`${value}T00:00:00`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/**
 * The account's rated usage from a day on (the API lists usage by start time, oldest first), by
 * line; each record opens its price explanation.
 */
export function CustomerUsage({ account }: { account: Account }) {
  const f = useLocale();
  const pages = useCursorPages();
  const [lineId, setLineId] = useState('');
  const [from, setFrom] = useState(() => daysAgo(DEFAULT_DAYS_BACK));
  const [explained, setExplained] = useState<RatedUsage | null>(null);
  const lines = useLines(account.id);
  const usage = useQuery({
    queryKey: [...keys.usage(account.id), lineId, from, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<RatedUsage>>(
        `/v1/rated-usage${query({
          accountId: account.id,
          subscriptionId: lineId === '' ? undefined : lineId,
          from: startOfDay(from),
          limit: USAGE_PAGE_SIZE,
          cursor: pages.cursor,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Usage">
      <div className="form-row filters">
        <Field
          label="From"
          type="date"
          hint="Oldest first from this day"
          value={from}
          onChange={(event) => {
            setFrom(event.target.value);
            pages.reset();
          }}
        />
        {(lines.data?.items.length ?? 0) > 1 ? (
          <SelectField
            label="Line"
            value={lineId}
            onChange={(event) => {
              setLineId(event.target.value);
              pages.reset();
            }}
          >
            <option value="">All lines</option>
            {lines.data?.items.map((line) => (
              <option key={line.id} value={line.id}>
                {lineLabel(line)}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      <QueryView
        query={usage}
        isEmpty={(page) => page.items.length === 0}
        empty="No usage rated from this day on."
      >
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Line</th>
                    <th scope="col">Service</th>
                    <th scope="col">Destination</th>
                    <th scope="col" className="num">
                      Quantity
                    </th>
                    <th scope="col" className="num">
                      Charged
                    </th>
                    <th scope="col">Price</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((record) => (
                    <tr key={record.id}>
                      <td data-label="Started">{dateTime(f, record.startedAt)}</td>
                      <td data-label="Line">{record.subscriber}</td>
                      <td data-label="Service">
                        {record.service}
                        {record.entry === 'reversal' ? <span className="badge neutral">reversal</span> : null}
                      </td>
                      <td data-label="Destination">{record.destination}</td>
                      <td data-label="Quantity" className="num">
                        {usageQuantity(f, record.unit, record.units)}
                      </td>
                      <td data-label="Charged" className="num">
                        {money(f, record.charged, record.currency)}
                      </td>
                      <td data-label="Price">
                        <button type="button" className="link-button" onClick={() => setExplained(record)}>
                          Explain<span className="visually-hidden"> record {record.id}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Usage pages" />
          </>
        )}
      </QueryView>
      <Dialog
        open={explained !== null}
        title="How this record was priced"
        onClose={() => setExplained(null)}
        wide
      >
        {explained === null ? null : <Explanation record={explained} />}
      </Dialog>
    </Card>
  );
}

/** The rating computed again from the stored request and tariff version, as the API explains it. */
function Explanation({ record }: { record: RatedUsage }) {
  const f = useLocale();
  const explanation = useQuery({
    queryKey: ['rated-usage', 'one', record.id],
    queryFn: ({ signal }) =>
      api<{ usage: RatedUsage; explanation: unknown; reproduced: boolean }>(
        `/v1/rated-usage/${encodeURIComponent(record.id)}`,
        { signal },
      ),
  });
  return (
    <QueryView query={explanation}>
      {(data) => (
        <>
          <dl className="facts">
            <dt>Record</dt>
            <dd>{data.usage.id}</dd>
            <dt>List price</dt>
            <dd>{money(f, data.usage.list, data.usage.currency)}</dd>
            <dt>From allowances</dt>
            <dd>{usageQuantity(f, data.usage.unit, data.usage.allowanceUnits)}</dd>
            <dt>Charged</dt>
            <dd>{money(f, data.usage.charged, data.usage.currency)}</dd>
            <dt>Settlement</dt>
            <dd>{data.usage.settlement}</dd>
            <dt>Reproduced</dt>
            <dd>
              {data.reproduced
                ? 'Yes: rating again gives the stored price'
                : 'No: rating again gives another price'}
            </dd>
          </dl>
          <pre className="raw">{JSON.stringify(data.explanation, null, 2)}</pre>
        </>
      )}
    </QueryView>
  );
}
