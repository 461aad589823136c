import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api/client.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { ProgressBar } from '../ui/progress-bar.js';
import { Empty, QueryView } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { AccountLink } from './account-link.js';
import type { BillRun, BillRunAccount } from './console-types.js';
import { exactDecimal, instantOfLocal } from './exact-price.js';
import { keys } from './query-keys.js';
import { type RememberedRun, rememberedRuns, rememberRun } from './session-bill-runs.js';
import { useCan } from './staff-context.js';
import { StatusBadge } from './status-badge.js';

const POLL_MS = 2000;
const ACCOUNT_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bill runs: start one (or a dry run that only previews), follow its progress, and see the
 * accounts it parked with their reasons.
 */
export function BillRunsPage() {
  const [params, setParams] = useSearchParams();
  const [runs, setRuns] = useState<RememberedRun[]>(rememberedRuns);
  const open = (runId: string) => setParams({ run: runId });
  const runId = params.get('run');
  return (
    <Page title="Bill runs">
      <div className="grid">
        <StartBillRun
          onStarted={(run) => {
            setRuns(rememberRun({ id: run.id, createdAt: run.createdAt, dryRun: run.dryRun }));
            open(run.id);
          }}
        />
        <Card title="Runs">
          <OpenRun onOpen={open} />
          {runs.length === 0 ? (
            <p className="hint">
              Runs started in this browser session are listed here; the API offers no list of past runs, so
              open an older one by its id.
            </p>
          ) : (
            <RunList runs={runs} current={runId} />
          )}
        </Card>
      </div>
      {runId === null ? null : <BillRunView key={runId} runId={runId} />}
    </Page>
  );
}

function RunList({ runs, current }: { runs: readonly RememberedRun[]; current: string | null }) {
  const f = useLocale();
  return (
    <ul className="plain-list run-list">
      {runs.map((run) => (
        <li key={run.id}>
          <Link to={`?run=${run.id}`} aria-current={run.id === current ? 'page' : undefined}>
            {run.dryRun ? 'Dry run' : 'Bill run'} started {dateTime(f, run.createdAt)}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function OpenRun({ onOpen }: { onOpen: (runId: string) => void }) {
  const [id, setId] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const runId = id.trim();
    if (!UUID.test(runId)) {
      setInvalid('A bill run id looks like 0b7c…-…: 36 characters');
      return;
    }
    setInvalid(undefined);
    onOpen(runId);
  };
  return (
    <form className="form-row" onSubmit={submit} noValidate>
      <Field label="Bill run id" value={id} onChange={(event) => setId(event.target.value)} error={invalid} />
      <button type="submit" className="button secondary">
        Open
      </button>
    </form>
  );
}

interface StartBody {
  readonly asOf?: string;
  readonly dryRun: boolean;
  readonly finalize: boolean;
}

function StartBillRun({ onStarted }: { onStarted: (run: BillRun) => void }) {
  // The API lets admins only start bill runs.
  const canStart = useCan('admin');
  const [asOf, setAsOf] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [finalize, setFinalize] = useState(true);
  const start = useIdempotentMutation({
    mutationFn: (body: StartBody, idempotencyKey) => api<BillRun>('/v1/bill-runs', { body, idempotencyKey }),
    onSuccess: (run) => onStarted(run),
  });
  if (!canStart)
    return (
      <Card title="Start a bill run">
        <p className="hint">Only admins start bill runs. You can follow a run by its id.</p>
      </Card>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = instantOfLocal(asOf);
    start.mutate({ dryRun, finalize, ...(at === undefined ? {} : { asOf: at }) });
  };
  return (
    <Card title="Start a bill run">
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="Bill cycles ended by"
          type="datetime-local"
          hint="Every postpaid or hybrid account whose cycle ended by then; leave empty for now"
          value={asOf}
          onChange={(event) => setAsOf(event.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} /> Dry
          run: preview the invoices, write nothing else
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={finalize}
            disabled={dryRun}
            onChange={(event) => setFinalize(event.target.checked)}
          />{' '}
          Number and finalise the invoices (else they stay drafts)
        </label>
        {dryRun ? null : (
          <p className="alert-warn">
            A bill run issues real invoices. Starting it twice bills no period twice.
          </p>
        )}
        <FormMessage error={errorText(start.error)} />
        <div className="actions">
          <button type="submit" className="button primary" disabled={start.isPending}>
            {start.isPending ? 'Starting…' : dryRun ? 'Start dry run' : 'Start bill run'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function BillRunView({ runId }: { runId: string }) {
  const f = useLocale();
  const run = useQuery({
    queryKey: keys.billRun(runId),
    queryFn: ({ signal }) => api<BillRun>(`/v1/bill-runs/${encodeURIComponent(runId)}`, { signal }),
    refetchInterval: (current) => (current.state.data?.status === 'running' ? POLL_MS : false),
  });
  return (
    <Card title="Bill run">
      <QueryView query={run}>
        {(data) => {
          const done = data.accounts - data.pending;
          return (
            <>
              {data.accounts === 0 ? (
                <p>
                  {data.status === 'running'
                    ? 'Finding the accounts to bill…'
                    : 'No account had a bill cycle to bill.'}
                </p>
              ) : (
                <ProgressBar
                  label={data.status === 'running' ? 'Accounts done so far' : 'Accounts done'}
                  value={done}
                  max={data.accounts}
                  text={`${num(f, done)} of ${num(f, data.accounts)}`}
                />
              )}
              <dl className="facts">
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={data.status} />
                  {data.dryRun ? <span className="badge neutral">dry run</span> : null}
                </dd>
                <dt>Bill cycles ended by</dt>
                <dd>{dateTime(f, data.asOf)}</dd>
                <dt>Started</dt>
                <dd>{dateTime(f, data.createdAt)}</dd>
                <dt>Finished</dt>
                <dd>{data.finishedAt === null ? 'Not yet' : dateTime(f, data.finishedAt)}</dd>
                <dt>Invoiced</dt>
                <dd>{num(f, data.invoiced)}</dd>
                <dt>Skipped</dt>
                <dd>{num(f, data.skipped)}</dd>
                <dt>Parked</dt>
                <dd>{num(f, data.parked)}</dd>
                <dt>Run id</dt>
                <dd>
                  <code>{data.id}</code>
                </dd>
              </dl>
              {data.parked > 0 ? (
                <p className="alert-warn">
                  {num(f, data.parked)} {data.parked === 1 ? 'account was' : 'accounts were'} parked: fix the
                  reason, then start a run again (it bills no period twice).
                </p>
              ) : null}
              <RunAccounts run={data} />
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

function RunAccounts({ run }: { run: BillRun }) {
  const f = useLocale();
  const pages = useCursorPages();
  const [status, setStatus] = useState<string>(run.parked > 0 ? 'parked' : '');
  const accounts = useQuery({
    queryKey: [...keys.billRunAccounts(run.id), status, pages.cursor],
    queryFn: ({ signal }) =>
      api<{ items: BillRunAccount[]; nextAfter: string | null }>(
        `/v1/bill-runs/${run.id}/accounts${query({ status, limit: ACCOUNT_PAGE_SIZE, after: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: run.status === 'running' ? POLL_MS : false,
  });
  return (
    <section aria-labelledby="run-accounts">
      <h3 id="run-accounts">Accounts</h3>
      <div className="form-row filters">
        <SelectField
          label="Outcome"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value);
            pages.reset();
          }}
        >
          <option value="">Any outcome</option>
          <option value="parked">Parked</option>
          <option value="pending">Pending</option>
          <option value="invoiced">Invoiced</option>
          <option value="skipped">Skipped</option>
        </SelectField>
      </div>
      <QueryView query={accounts}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No accounts with this outcome.</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="data stack">
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Reason</th>
                      <th scope="col">{run.dryRun ? 'Preview total' : 'Invoice'}</th>
                      <th scope="col" className="num">
                        Attempts
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((account) => (
                      <tr key={account.accountId}>
                        <td data-label="Account">
                          <AccountLink accountId={account.accountId} />
                        </td>
                        <td data-label="Outcome">
                          <StatusBadge status={account.status} />
                        </td>
                        <td data-label="Reason">{account.reason ?? '—'}</td>
                        <td data-label={run.dryRun ? 'Preview total' : 'Invoice'}>
                          {account.previewTotal !== null ? (
                            exactDecimal(f, account.previewTotal)
                          ) : account.invoiceId !== null ? (
                            <a href={`/v1/invoices/${account.invoiceId}/html`} target="_blank" rel="noopener">
                              View invoice
                            </a>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td data-label="Attempts" className="num">
                          {num(f, account.attempts)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={page.nextAfter} label="Account pages" />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
