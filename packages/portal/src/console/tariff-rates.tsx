import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { api } from '../api/client.js';
import { type Formats, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Field } from '../ui/field.js';
import { QueryView } from '../ui/query-view.js';
import { exactPrice } from './exact-price.js';
import { keys } from './query-keys.js';

const ROWS_PER_PAGE = 50;
const PREFIXES_SHOWN = 6;

/** The parts of a native tariff document (tollgate.tariff/v1) this table reads. */
interface TariffDocument {
  readonly currency: string;
  readonly destinations: readonly { id: string; name?: string; prefixes: readonly string[] }[];
  readonly rates: readonly {
    id: string;
    connectFee?: string;
    minimumCharge?: string;
    groups: readonly {
      from?: string | number;
      price: string;
      per: string | number;
      increment: string | number;
    }[];
  }[];
  readonly ratingPlans: readonly {
    id: string;
    bindings: readonly { destination: string; rate: string; timeBand?: string; weight?: number }[];
  }[];
}

interface RateRow {
  readonly key: string;
  readonly plan: string;
  readonly destination: string;
  readonly prefixes: readonly string[];
  readonly timeBand: string;
  readonly connectFee: string | undefined;
  readonly groups: TariffDocument['rates'][number]['groups'];
  readonly rateId: string;
  readonly search: string;
}

/** One row per binding of every rating plan: a destination priced by a rate in a time band. */
function rowsOf(document: TariffDocument): RateRow[] {
  const destinations = new Map(document.destinations.map((d) => [d.id, d]));
  const rates = new Map(document.rates.map((r) => [r.id, r]));
  const rows: RateRow[] = [];
  for (const plan of document.ratingPlans)
    for (const [index, binding] of plan.bindings.entries()) {
      const destination = destinations.get(binding.destination);
      const rate = rates.get(binding.rate);
      const name =
        binding.destination === '*any' ? 'Any destination' : (destination?.name ?? binding.destination);
      const prefixes = destination?.prefixes ?? [];
      rows.push({
        key: `${plan.id}:${index}`,
        plan: plan.id,
        destination: name,
        prefixes,
        timeBand:
          binding.timeBand === undefined || binding.timeBand === '*any' ? 'Any time' : binding.timeBand,
        connectFee: rate?.connectFee,
        groups: rate?.groups ?? [],
        rateId: binding.rate,
        search: `${name} ${binding.destination} ${prefixes.join(' ')}`.toLowerCase(),
      });
    }
  return rows;
}

function groupText(f: Formats, currency: string, group: RateRow['groups'][number]): string {
  const startsAtZero = group.from === undefined || /^(PT)?0+[a-z]*$/i.test(String(group.from));
  const from = startsAtZero ? '' : ` from ${group.from}`;
  return `${exactPrice(f, group.price, currency)} per ${group.per}, in steps of ${group.increment}${from}`;
}

/** A tariff version's destinations and rates as a table, searchable and a page at a time. */
export function TariffRates({ tariffId, version }: { tariffId: string; version: number }) {
  const document = useQuery({
    queryKey: keys.tariffVersion(tariffId, version),
    queryFn: ({ signal }) =>
      api<{ document: TariffDocument }>(`/v1/tariffs/${tariffId}/versions/${version}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return <QueryView query={document}>{(data) => <RatesTable document={data.document} />}</QueryView>;
}

function RatesTable({ document }: { document: TariffDocument }) {
  const f = useLocale();
  const rows = useMemo(() => rowsOf(document), [document]);
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const needle = useDeferredValue(text.trim().toLowerCase());
  const shown = needle === '' ? rows : rows.filter((row) => row.search.includes(needle));
  const pages = Math.max(1, Math.ceil(shown.length / ROWS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const slice = shown.slice(current * ROWS_PER_PAGE, (current + 1) * ROWS_PER_PAGE);
  return (
    <>
      <div className="form-row filters">
        <Field
          label="Find a destination or prefix"
          type="search"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setPage(0);
          }}
        />
      </div>
      <p role="status">
        {shown.length === rows.length
          ? `${num(f, rows.length)} rated destinations`
          : `${num(f, shown.length)} of ${num(f, rows.length)} rated destinations`}
      </p>
      {slice.length === 0 ? null : (
        <div className="table-wrap">
          <table className="data stack">
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Prefixes</th>
                <th scope="col">Time band</th>
                <th scope="col">Price</th>
                <th scope="col">Connect fee</th>
                <th scope="col">Rating plan</th>
              </tr>
            </thead>
            <tbody>
              {slice.map((row) => (
                <tr key={row.key}>
                  <td data-label="Destination">{row.destination}</td>
                  <td data-label="Prefixes">
                    {row.prefixes.slice(0, PREFIXES_SHOWN).join(', ')}
                    {row.prefixes.length > PREFIXES_SHOWN
                      ? ` and ${num(f, row.prefixes.length - PREFIXES_SHOWN)} more`
                      : ''}
                  </td>
                  <td data-label="Time band">{row.timeBand}</td>
                  <td data-label="Price">
                    {row.groups.length === 0 ? (
                      `Rate ${row.rateId} not found`
                    ) : (
                      <ul className="plain-list">
                        {row.groups.map((group, index) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a rate's groups are ordered and never reorder
                          <li key={index}>{groupText(f, document.currency, group)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td data-label="Connect fee">
                    {row.connectFee === undefined ? '—' : exactPrice(f, row.connectFee, document.currency)}
                  </td>
                  <td data-label="Rating plan">{row.plan}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Rate pages">
          <button
            type="button"
            className="button secondary"
            disabled={current === 0}
            onClick={() => setPage(current - 1)}
          >
            Previous page
          </button>
          <span>
            Page {num(f, current + 1)} of {num(f, pages)}
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={current >= pages - 1}
            onClick={() => setPage(current + 1)}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </>
  );
}
