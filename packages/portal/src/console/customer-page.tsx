import { useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, ErrorState, Loading, QueryView } from '../ui/query-view.js';
import { type TabItem, Tabs } from '../ui/tabs.js';
import type { Account, Customer } from './console-types.js';
import { CustomerAudit } from './customer-audit.js';
import { CustomerDunning } from './customer-dunning.js';
import { CustomerInvoices } from './customer-invoices.js';
import { CustomerNotes } from './customer-notes.js';
import { CustomerOverview } from './customer-overview.js';
import { CustomerPayments } from './customer-payments.js';
import { CustomerUsage } from './customer-usage.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge } from './status-badge.js';

type TabId = 'overview' | 'usage' | 'invoices' | 'payments' | 'dunning' | 'notes' | 'history';

const ACCOUNT_TABS: readonly TabItem<TabId>[] = [
  { id: 'overview', label: 'Balance and lines' },
  { id: 'usage', label: 'Usage' },
  { id: 'invoices', label: 'Invoices' },
  { id: 'payments', label: 'Payments' },
  { id: 'dunning', label: 'Dunning' },
];
const SUPPORT_TABS: readonly TabItem<TabId>[] = [
  { id: 'notes', label: 'Notes' },
  { id: 'history', label: 'History' },
];

/**
 * One customer as support and operators work on it: who they are, an account at a time (balance,
 * lines, usage, invoices, payments, dunning) and, for support and above, the notes and the audit
 * trail. The tab and the account are in the address, so a link shows the same view.
 */
export function CustomerPage() {
  const { id = '' } = useParams();
  const customer = useQuery({
    queryKey: keys.customer(id),
    queryFn: ({ signal }) => api<Customer>(`/v1/customers/${encodeURIComponent(id)}`, { signal }),
  });
  if (customer.isPending) return <Loading />;
  if (customer.isError)
    return (
      <Page title="Customer">
        <ErrorState error={customer.error} onRetry={() => void customer.refetch()} />
      </Page>
    );
  return <CustomerView key={customer.data.id} customer={customer.data} />;
}

function CustomerView({ customer }: { customer: Customer }) {
  const canSupport = useCan('support');
  const [params, setParams] = useSearchParams();
  const accounts = useQuery({
    queryKey: keys.accountsOf(customer.id),
    queryFn: ({ signal }) =>
      api<ApiPage<Account>>(`/v1/accounts${query({ customerId: customer.id, limit: 200 })}`, { signal }),
  });
  const tabs = canSupport ? [...ACCOUNT_TABS, ...SUPPORT_TABS] : ACCOUNT_TABS;
  const asked = params.get('tab');
  const tab: TabId = tabs.find((t) => t.id === asked)?.id ?? 'overview';
  const accountList = accounts.data?.items ?? [];
  const account = accountList.find((a) => a.id === params.get('account')) ?? accountList[0];
  const update = (changes: Record<string, string>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) next.set(name, value);
        return next;
      },
      { replace: true },
    );

  return (
    <Page title={customer.displayName}>
      <CustomerFacts customer={customer} />
      {accountList.length > 1 && account !== undefined ? (
        <div className="card account-picker">
          <SelectField
            label="Account"
            value={account.id}
            onChange={(event) => update({ account: event.target.value })}
          >
            {accountList.map((a) => (
              <option key={a.id} value={a.id}>
                {a.accountNumber} · {a.kind} · {a.currency} · {a.status}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      <Tabs label="Customer sections" tabs={tabs} selected={tab} onSelect={(next) => update({ tab: next })}>
        {tab === 'notes' ? (
          <CustomerNotes customerId={customer.id} />
        ) : tab === 'history' ? (
          <CustomerAudit customerId={customer.id} />
        ) : (
          <QueryView query={accounts}>
            {() =>
              account === undefined ? (
                <Empty>This customer has no account yet.</Empty>
              ) : (
                <AccountSection key={account.id} tab={tab} account={account} customer={customer} />
              )
            }
          </QueryView>
        )}
      </Tabs>
    </Page>
  );
}

function AccountSection({ tab, account, customer }: { tab: TabId; account: Account; customer: Customer }) {
  switch (tab) {
    case 'usage':
      return <CustomerUsage account={account} />;
    case 'invoices':
      return <CustomerInvoices account={account} customerId={customer.id} />;
    case 'payments':
      return <CustomerPayments account={account} />;
    case 'dunning':
      return <CustomerDunning account={account} />;
    default:
      return <CustomerOverview account={account} customerId={customer.id} />;
  }
}

function CustomerFacts({ customer }: { customer: Customer }) {
  const f = useLocale();
  return (
    <Card title="Customer" className="customer-facts">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={customer.status} />
        </dd>
        <dt>Kind</dt>
        <dd>{customer.kind === 'business' ? 'Business' : 'Person'}</dd>
        <dt>E-mail</dt>
        <dd>{customer.email === null ? '—' : <a href={`mailto:${customer.email}`}>{customer.email}</a>}</dd>
        <dt>Phone</dt>
        <dd>{customer.phone ?? '—'}</dd>
        {customer.address.length > 0 ? (
          <>
            <dt>Address</dt>
            <dd>
              {customer.address.map((line) => (
                <span key={line} className="address-line">
                  {line}
                </span>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Language</dt>
        <dd>{customer.language}</dd>
        <dt>Group</dt>
        <dd>{customer.customerGroup}</dd>
        {customer.taxId === null ? null : (
          <>
            <dt>Tax number</dt>
            <dd>{customer.taxId}</dd>
          </>
        )}
        <dt>Customer since</dt>
        <dd>{dateTime(f, customer.createdAt)}</dd>
      </dl>
    </Card>
  );
}
