import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { date, dateTime, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Account, DunningCase } from './console-types.js';
import { keys } from './query-keys.js';
import { StatusBadge, statusText } from './status-badge.js';

interface Receivable {
  readonly currency: string;
  readonly credit: string;
  readonly outstanding: string;
  readonly overdue: string;
}

/** What the account owes and the dunning cases chasing it, with every step taken. */
export function CustomerDunning({ account }: { account: Account }) {
  const f = useLocale();
  const receivable = useQuery({
    queryKey: keys.receivable(account.id),
    queryFn: ({ signal }) => api<Receivable>(`/v1/accounts/${account.id}/receivable`, { signal }),
  });
  const cases = useQuery({
    queryKey: keys.dunningCases(account.id),
    queryFn: ({ signal }) =>
      api<{ items: DunningCase[] }>(`/v1/accounts/${account.id}/dunning-cases`, { signal }),
  });
  return (
    <>
      <Card title="What the account owes">
        <QueryView query={receivable}>
          {(data) => (
            <dl className="facts">
              <dt>Outstanding</dt>
              <dd>{money(f, data.outstanding, data.currency)}</dd>
              <dt>Overdue</dt>
              <dd>{money(f, data.overdue, data.currency)}</dd>
              <dt>Unapplied credit</dt>
              <dd>{money(f, data.credit, data.currency)}</dd>
            </dl>
          )}
        </QueryView>
      </Card>
      <Card title="Dunning cases">
        <QueryView
          query={cases}
          isEmpty={(data) => data.items.length === 0}
          empty="No dunning case: the account has never been chased."
        >
          {(data) => (
            <ul className="plain-list">
              {data.items.map((item) => (
                <li key={item.id} className="case">
                  <h3>
                    Case opened {dateTime(f, item.openedAt)}{' '}
                    <StatusBadge status={item.status} tone={item.status === 'open' ? 'bad' : undefined} />
                  </h3>
                  <dl className="facts">
                    <dt>Counted from the due date</dt>
                    <dd>{date(f, item.anchorDueOn)}</dd>
                    <dt>Service</dt>
                    <dd>
                      <StatusBadge status={item.service} />
                    </dd>
                    {item.suspendedAt === null ? null : (
                      <>
                        <dt>Suspended</dt>
                        <dd>{dateTime(f, item.suspendedAt)}</dd>
                      </>
                    )}
                    {item.restoredAt === null ? null : (
                      <>
                        <dt>Restored</dt>
                        <dd>{dateTime(f, item.restoredAt)}</dd>
                      </>
                    )}
                    {item.closedAt === null ? null : (
                      <>
                        <dt>Closed</dt>
                        <dd>{dateTime(f, item.closedAt)}</dd>
                      </>
                    )}
                  </dl>
                  {item.steps.length === 0 ? (
                    <p className="hint">No step taken yet.</p>
                  ) : (
                    <div className="table-wrap">
                      <table className="data stack">
                        <caption className="visually-hidden">Steps taken</caption>
                        <thead>
                          <tr>
                            <th scope="col">Step</th>
                            <th scope="col">Scheduled on</th>
                            <th scope="col">Taken</th>
                          </tr>
                        </thead>
                        <tbody>
                          {item.steps.map((step) => (
                            <tr key={step.index}>
                              <td data-label="Step">{statusText(step.action)}</td>
                              <td data-label="Scheduled on">{date(f, step.scheduledOn)}</td>
                              <td data-label="Taken">{dateTime(f, step.executedAt)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      </Card>
    </>
  );
}
