import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime, money, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { AdjustBalanceDialog, TopUpDialog } from './balance-actions.js';
import type { Account, AccountBalance, Bucket, LedgerTransaction } from './console-types.js';
import { CustomerLines } from './customer-lines.js';
import { PlanRecommendationsCard } from './plan-recommendations.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge, statusText } from './status-badge.js';
import { usageQuantity } from './usage-quantity.js';

/** The account at a glance: its terms, its balance (with the operator's money actions) and its lines. */
export function CustomerOverview({ account, customerId }: { account: Account; customerId: string }) {
  return (
    <>
      <AccountFacts account={account} />
      <BalanceCard account={account} customerId={customerId} />
      <CustomerLines account={account} customerId={customerId} />
      <PlanRecommendationsCard account={account} />
      <RecentMovements account={account} />
    </>
  );
}

function AccountFacts({ account }: { account: Account }) {
  const f = useLocale();
  return (
    <Card title={`Account ${account.accountNumber}`}>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={account.status} />
        </dd>
        <dt>Kind</dt>
        <dd>{account.kind}</dd>
        <dt>Currency</dt>
        <dd>{account.currency}</dd>
        <dt>Credit limit</dt>
        <dd>{account.creditLimit === null ? 'None' : money(f, account.creditLimit, account.currency)}</dd>
        <dt>Bill cycle day</dt>
        <dd>{account.billCycleDay}</dd>
        <dt>Payment terms</dt>
        <dd>{account.paymentTermsDays} days</dd>
        <dt>Time zone</dt>
        <dd>{account.timeZone}</dd>
      </dl>
    </Card>
  );
}

function bucketAmount(f: ReturnType<typeof useLocale>, bucket: Bucket, amount: string): string {
  return bucket.kind === 'money' ? money(f, amount, bucket.unit) : usageQuantity(f, bucket.unit, amount);
}

function BalanceCard({ account, customerId }: { account: Account; customerId: string }) {
  const f = useLocale();
  const canAct = useCan('operator');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const balance = useQuery({
    queryKey: keys.balance(account.id),
    queryFn: ({ signal }) => api<AccountBalance>(`/v1/accounts/${account.id}/balance`, { signal }),
  });
  return (
    <Card title="Balance">
      <QueryView query={balance}>
        {(data) => (
          <>
            <div className="figures">
              <div>
                <p className="figure">{money(f, data.mainBalance, data.currency)}</p>
                <p className="figure-note">Main balance</p>
              </div>
              <div>
                <p className="figure">
                  {data.availableToSpend === null
                    ? 'No limit'
                    : money(f, data.availableToSpend, data.currency)}
                </p>
                <p className="figure-note">Available to spend</p>
              </div>
            </div>
            {canAct ? (
              <div className="actions">
                <AdjustBalanceDialog account={account} customerId={customerId} onDone={setNotice} />
                <TopUpDialog account={account} customerId={customerId} onDone={setNotice} />
              </div>
            ) : null}
            <FormMessage success={notice} />
            <BucketTable buckets={data.buckets} />
          </>
        )}
      </QueryView>
    </Card>
  );
}

/** The buckets in force (lapsed ones stay in the API's answer with nothing left; they are only counted). */
function BucketTable({ buckets }: { buckets: readonly Bucket[] }) {
  const f = useLocale();
  const now = Date.now();
  const current = buckets.filter((b) => b.validTo === null || Date.parse(b.validTo) > now);
  const lapsed = buckets.length - current.length;
  return (
    <>
      {current.length > 1 ? (
        <div className="table-wrap">
          <table className="data stack">
            <caption className="visually-hidden">Balance buckets</caption>
            <thead>
              <tr>
                <th scope="col">Bucket</th>
                <th scope="col">Service</th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col" className="num">
                  Reserved
                </th>
                <th scope="col">Valid until</th>
              </tr>
            </thead>
            <tbody>
              {current.map((bucket) => (
                <tr key={bucket.id}>
                  <td data-label="Bucket">
                    {bucket.isMain
                      ? 'Main balance'
                      : (bucket.label ?? `${statusText(bucket.kind)} (${bucket.unit})`)}
                  </td>
                  <td data-label="Service">{bucket.service ?? 'Any'}</td>
                  <td data-label="Balance" className="num">
                    {bucketAmount(f, bucket, bucket.balance)}
                  </td>
                  <td data-label="Reserved" className="num">
                    {bucketAmount(f, bucket, bucket.reserved)}
                  </td>
                  <td data-label="Valid until">
                    {bucket.validTo === null ? 'No end' : dateTime(f, bucket.validTo)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {lapsed === 0 ? null : (
        <p className="hint">
          {lapsed === 1 ? '1 lapsed bucket not shown.' : `${num(f, lapsed)} lapsed buckets not shown.`}
        </p>
      )}
    </>
  );
}

interface LedgerEntry {
  readonly bucketId: string | null;
  readonly unit: string;
  readonly amount: string;
}

/** The latest postings to the account's balances: top-ups, adjustments, charges, reversals. */
function RecentMovements({ account }: { account: Account }) {
  const f = useLocale();
  const ledger = useQuery({
    queryKey: keys.ledger(account.id),
    queryFn: ({ signal }) =>
      api<ApiPage<LedgerTransaction & { entries: readonly LedgerEntry[] }>>(
        `/v1/accounts/${account.id}/ledger${query({ limit: 10 })}`,
        { signal },
      ),
  });
  return (
    <Card title="Recent balance movements">
      <QueryView query={ledger} isEmpty={(page) => page.items.length === 0} empty="No movements yet.">
        {(page) => (
          <div className="table-wrap">
            <table className="data stack">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((transaction) => (
                  <tr key={transaction.id}>
                    <td data-label="When">{dateTime(f, transaction.createdAt)}</td>
                    <td data-label="Kind">{statusText(transaction.kind)}</td>
                    <td data-label="Description">{transaction.description ?? '—'}</td>
                    <td data-label="Amount" className="num">
                      {transaction.entries
                        .filter((entry) => entry.bucketId !== null)
                        .map((entry) =>
                          /^[A-Z]{3}$/.test(entry.unit)
                            ? money(f, entry.amount, entry.unit)
                            : usageQuantity(f, entry.unit, entry.amount),
                        )
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}
