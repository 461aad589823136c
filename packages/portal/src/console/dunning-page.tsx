import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client.js';
import { date, dateTime, money, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Field, FormMessage } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { AccountLink } from './account-link.js';
import type { AgingBuckets, AgingReport, DunningPolicy, DunningStep } from './console-types.js';
import { fromMicros } from './decimal-amount.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { statusText } from './status-badge.js';

const AGING_PAGE_SIZE = 50;

const BUCKETS: readonly { key: keyof AgingBuckets; label: string }[] = [
  { key: 'current', label: 'Not yet due' },
  { key: 'days_1_30', label: '1–30 days' },
  { key: 'days_31_60', label: '31–60 days' },
  { key: 'days_61_90', label: '61–90 days' },
  { key: 'days_over_90', label: 'Over 90 days' },
];

/**
 * Collections: the dunning policy of each customer group, what customers owe by age, and a
 * collection pass on demand. The API lists dunning cases per account only (on the customer page).
 */
export function DunningPage() {
  return (
    <Page title="Dunning">
      <AgingCard />
      <PoliciesCard />
      <Card title="Dunning cases">
        <p>
          Open dunning cases are listed per account, on the Dunning tab of the customer (the API has no list
          of all cases): open an account from the aging report above.
        </p>
      </Card>
      <CollectionsCard />
    </Page>
  );
}

function stepText(step: DunningStep): string {
  const when =
    step.day === 0
      ? 'on the due date'
      : step.day > 0
        ? `${step.day} days after due`
        : `${-step.day} days before due`;
  const fee =
    step.feeMicros !== undefined
      ? ` (fee ${fromMicros(BigInt(step.feeMicros))})`
      : step.feePercent !== undefined
        ? ` (${step.feePercent} % of the overdue amount)`
        : '';
  const notify = step.notify === true && step.action !== 'reminder' ? ', customer told' : '';
  return `${statusText(step.action)}${fee} ${when}${notify}`;
}

function PoliciesCard() {
  const f = useLocale();
  const policies = useQuery({
    queryKey: keys.dunningPolicies,
    queryFn: ({ signal }) => api<{ items: DunningPolicy[] }>('/v1/dunning-policies', { signal }),
  });
  return (
    <Card title="Dunning policies">
      <QueryView
        query={policies}
        isEmpty={(data) => data.items.length === 0}
        empty="No dunning policy: overdue accounts are not chased. Set one with PUT /v1/dunning-policies/{group}."
      >
        {(data) => (
          <div className="grid">
            {data.items.map((policy) => (
              <section key={policy.id} className="policy" aria-labelledby={`policy-${policy.id}`}>
                <h3 id={`policy-${policy.id}`}>
                  {policy.name} <span className="badge neutral">group {policy.customerGroup}</span>
                </h3>
                <ol>
                  {[...policy.steps]
                    .sort((a, b) => a.day - b.day)
                    .map((step) => (
                      <li key={`${step.day}:${step.action}`}>{stepText(step)}</li>
                    ))}
                </ol>
                <p className="hint">
                  No suspension before {num(f, policy.graceDays)} days past due
                  {policy.minimumOverdueMicros === '0'
                    ? ''
                    : `; amounts under ${fromMicros(BigInt(policy.minimumOverdueMicros))} are not chased`}
                  . Updated {dateTime(f, policy.updatedAt)}.
                </p>
              </section>
            ))}
          </div>
        )}
      </QueryView>
    </Card>
  );
}

function AgingCard() {
  const f = useLocale();
  const pages = useCursorPages();
  const [asOf, setAsOf] = useState('');
  const aging = useQuery({
    queryKey: [...keys.aging, asOf, pages.cursor],
    queryFn: ({ signal }) =>
      api<AgingReport>(
        `/v1/receivables/aging${query({ asOf, limit: AGING_PAGE_SIZE, cursor: pages.cursor })}`,
        {
          signal,
        },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Aging of receivables">
      <div className="form-row filters">
        <Field
          label="Days past due counted to"
          type="date"
          hint="Leave empty for today"
          value={asOf}
          onChange={(event) => {
            setAsOf(event.target.value);
            pages.reset();
          }}
        />
      </div>
      <QueryView query={aging}>
        {(report) => (
          <>
            <p>As of {date(f, report.asOf)}.</p>
            {report.totals.length === 0 ? (
              <p className="state">Nothing is owed.</p>
            ) : (
              <div className="table-wrap">
                <table className="data stack">
                  <caption>Totals over every account</caption>
                  <thead>
                    <tr>
                      <th scope="col">Currency</th>
                      <th scope="col" className="num">
                        Accounts
                      </th>
                      {BUCKETS.map((bucket) => (
                        <th key={bucket.key} scope="col" className="num">
                          {bucket.label}
                        </th>
                      ))}
                      <th scope="col" className="num">
                        Outstanding
                      </th>
                      <th scope="col" className="num">
                        Unapplied credit
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.totals.map((total) => (
                      <tr key={total.currency}>
                        <td data-label="Currency">{total.currency}</td>
                        <td data-label="Accounts" className="num">
                          {num(f, total.accounts)}
                        </td>
                        {BUCKETS.map((bucket) => (
                          <td key={bucket.key} data-label={bucket.label} className="num">
                            {money(f, total.buckets[bucket.key], total.currency)}
                          </td>
                        ))}
                        <td data-label="Outstanding" className="num">
                          {money(f, total.outstanding, total.currency)}
                        </td>
                        <td data-label="Unapplied credit" className="num">
                          {money(f, total.unappliedCredit, total.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {report.accounts.length === 0 ? null : (
              <div className="table-wrap">
                <table className="data stack">
                  <caption>By account</caption>
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Customer</th>
                      {BUCKETS.map((bucket) => (
                        <th key={bucket.key} scope="col" className="num">
                          {bucket.label}
                        </th>
                      ))}
                      <th scope="col" className="num">
                        Outstanding
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.accounts.map((row) => (
                      <tr key={`${row.accountId}:${row.currency}`}>
                        <td data-label="Account">
                          <AccountLink accountId={row.accountId} label={row.accountNumber} />
                        </td>
                        <td data-label="Customer">{row.customerName}</td>
                        {BUCKETS.map((bucket) => (
                          <td key={bucket.key} data-label={bucket.label} className="num">
                            {money(f, row.buckets[bucket.key], row.currency)}
                          </td>
                        ))}
                        <td data-label="Outstanding" className="num">
                          {money(f, row.outstanding, row.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager pages={pages} nextCursor={report.nextCursor} label="Aging pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

interface CollectionsSummary {
  readonly autopay: { readonly attempted: number; readonly succeeded: number; readonly failed: number };
  readonly dunning: {
    readonly accounts: number;
    readonly opened: number;
    readonly resolved: number;
    readonly steps: Readonly<Record<string, number>>;
  };
}

/** The collection pass the job queue runs on its schedule (credit, autopay, dunning), now. */
function CollectionsCard() {
  const f = useLocale();
  const canRun = useCan('operator');
  const client = useQueryClient();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const run = useIdempotentMutation({
    mutationFn: (body: Record<string, never>, idempotencyKey) =>
      api<CollectionsSummary>('/v1/collection-runs', { body, idempotencyKey }),
    onSuccess: async (summary) => {
      const steps = Object.entries(summary.dunning.steps)
        .filter(([, count]) => count > 0)
        .map(([action, count]) => `${num(f, count)} ${statusText(action)}`)
        .join(', ');
      setNotice(
        `Autopay: ${num(f, summary.autopay.succeeded)} of ${num(f, summary.autopay.attempted)} paid. ` +
          `Dunning: ${num(f, summary.dunning.opened)} cases opened, ${num(f, summary.dunning.resolved)} resolved` +
          `${steps === '' ? '' : `; steps taken: ${steps}`}.`,
      );
      await client.invalidateQueries({ queryKey: keys.aging });
    },
  });
  if (!canRun) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(undefined);
    run.mutate({});
  };
  return (
    <Card title="Collections">
      <p>
        A collection pass applies credit, charges autopay and takes the dunning steps that are due. It runs on
        a schedule, and is safe to repeat.
      </p>
      <form onSubmit={submit}>
        <FormMessage error={errorText(run.error)} success={notice} />
        <button type="submit" className="button secondary" disabled={run.isPending}>
          {run.isPending ? 'Running…' : 'Run collections now'}
        </button>
      </form>
    </Card>
  );
}
