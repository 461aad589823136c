import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError, type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Card, Page } from '../ui/page.js';
import { ErrorState, Loading, QueryView } from '../ui/query-view.js';
import type { Account, Customer, SearchHit } from './console-types.js';
import { keys } from './query-keys.js';
import { StatusBadge } from './status-badge.js';

const MIN_QUERY_LENGTH = 2;
const LATEST_PAGE_SIZE = 20;

const KIND_LABELS: Record<SearchHit['kind'], string> = {
  customer: 'Customer',
  account: 'Account',
  line: 'Line',
  invoice: 'Invoice',
};

/**
 * Hits for a search text. Until the search route is deployed (a 404 for the route itself), names
 * and e-mail addresses are still found through the customer list's own filter.
 */
async function searchCustomers(q: string, signal: AbortSignal): Promise<readonly SearchHit[]> {
  try {
    return (await api<{ items: SearchHit[] }>(`/v1/search${query({ q })}`, { signal })).items;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404 && error.detail.startsWith('no route')))
      throw error;
    const page = await api<ApiPage<Customer>>(`/v1/customers${query({ q, limit: 20 })}`, { signal });
    return page.items.map((c) => ({
      kind: 'customer',
      id: c.id,
      customerId: c.id,
      label: c.displayName,
      detail: [c.email, c.phone].filter((part) => part !== null).join(' · '),
    }));
  }
}

/** The value after the user stopped typing for a moment, so each keystroke is not a request. */
function useSettled(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** The console's home: find a customer by anything staff are told on the phone. */
export function SearchPage() {
  const [params] = useSearchParams();
  const accountId = params.get('account');
  if (accountId !== null && accountId !== '') return <AccountRedirect accountId={accountId} />;
  return <CustomerSearch />;
}

/** Opens the customer page of an account known by its id (links from bill runs and aging). */
function AccountRedirect({ accountId }: { accountId: string }) {
  const account = useQuery({
    queryKey: keys.account(accountId),
    queryFn: ({ signal }) => api<Account>(`/v1/accounts/${encodeURIComponent(accountId)}`, { signal }),
  });
  if (account.isPending) return <Loading label="Opening the account…" />;
  if (account.isError) return <ErrorState error={account.error} onRetry={() => void account.refetch()} />;
  return (
    <Navigate
      to={`/console/customers/${account.data.customerId}?account=${encodeURIComponent(account.data.id)}`}
      replace
    />
  );
}

function CustomerSearch() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useSettled(text.trim(), 300);
  useEffect(() => {
    setParams(q === '' ? {} : { q }, { replace: true });
  }, [q, setParams]);
  return (
    <Page title="Customers">
      <search className="card search-box">
        <form onSubmit={(event) => event.preventDefault()}>
          <div className="field">
            <label htmlFor="customer-search">Search customers</label>
            <input
              id="customer-search"
              type="search"
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-describedby="customer-search-hint"
              autoComplete="off"
              // biome-ignore lint/a11y/noAutofocus: the console's home exists to search; staff start typing at once
              autoFocus
            />
            <small id="customer-search-hint" className="hint">
              Name, phone number, account number, invoice number or e-mail address.
            </small>
          </div>
        </form>
      </search>
      {q.length >= MIN_QUERY_LENGTH ? (
        <SearchResults q={q} />
      ) : q.length > 0 ? (
        <p className="state">Type at least {MIN_QUERY_LENGTH} characters.</p>
      ) : (
        <LatestCustomers />
      )}
    </Page>
  );
}

function SearchResults({ q }: { q: string }) {
  const hits = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => searchCustomers(q, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Results">
      <QueryView query={hits} isEmpty={(items) => items.length === 0} empty={`Nothing matches “${q}”.`}>
        {(items) => (
          <>
            <p className="visually-hidden" role="status">
              {items.length === 1 ? '1 result' : `${items.length} results`}
            </p>
            <ul className="hits">
              {items.map((hit) => (
                <li key={`${hit.kind}:${hit.id}`}>
                  <Link to={`/console/customers/${hit.customerId}${accountParam(hit)}`}>{hit.label}</Link>{' '}
                  <span className="badge neutral">{KIND_LABELS[hit.kind]}</span>
                  {hit.detail === '' ? null : <span className="hit-detail">{hit.detail}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
    </Card>
  );
}

/** An account hit opens its customer on that account; an invoice hit, on the invoices. */
function accountParam(hit: SearchHit): string {
  if (hit.kind === 'account') return `?account=${encodeURIComponent(hit.id)}`;
  return hit.kind === 'invoice' ? '?tab=invoices' : '';
}

function LatestCustomers() {
  const f = useLocale();
  const pages = useCursorPages();
  const latest = useQuery({
    queryKey: ['customers', 'latest', pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<Customer>>(
        `/v1/customers${query({ order: 'desc', limit: LATEST_PAGE_SIZE, cursor: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Latest customers">
      <QueryView query={latest} isEmpty={(page) => page.items.length === 0} empty="No customers yet.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Phone</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((customer) => (
                    <tr key={customer.id}>
                      <td data-label="Name">
                        <Link to={`/console/customers/${customer.id}`}>{customer.displayName}</Link>
                      </td>
                      <td data-label="E-mail">{customer.email ?? '—'}</td>
                      <td data-label="Phone">{customer.phone ?? '—'}</td>
                      <td data-label="Status">
                        <StatusBadge status={customer.status} />
                      </td>
                      <td data-label="Created">{dateTime(f, customer.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Customer pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
