import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { actorLabel } from './actor-label.js';
import type { AuditEntry } from './console-types.js';
import { keys } from './query-keys.js';
import { useStaff } from './staff-context.js';
import { statusText } from './status-badge.js';

const AUDIT_PAGE_SIZE = 25;

/** Every change to the customer, its accounts and lines, newest first, as the audit log holds it. */
export function CustomerAudit({ customerId }: { customerId: string }) {
  const f = useLocale();
  const me = useStaff();
  const pages = useCursorPages();
  const entries = useQuery({
    queryKey: [...keys.audit(customerId), pages.cursor],
    queryFn: ({ signal }) =>
      api<{ items: AuditEntry[]; nextCursor: string | null }>(
        `/v1/customers/${customerId}/audit-entries${query({ limit: AUDIT_PAGE_SIZE, cursor: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="History">
      <QueryView query={entries} isEmpty={(page) => page.items.length === 0} empty="No changes recorded.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">By</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((entry) => (
                    <tr key={entry.sequence}>
                      <td data-label="When">{dateTime(f, entry.occurredAt)}</td>
                      <td data-label="What">
                        {statusText(entry.action.replace('.', ' '))}
                        <span className="hint cell-note">
                          {statusText(entry.objectType)} {entry.objectId.slice(0, 8)}
                        </span>
                      </td>
                      <td data-label="By">{actorLabel(entry.actor, me)}</td>
                      <td data-label="Details">
                        <details>
                          <summary>Changes</summary>
                          <AuditChange label="Before" value={entry.before} />
                          <AuditChange label="After" value={entry.after} />
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="History pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

function AuditChange({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <>
      <p className="hint">{label}</p>
      <pre className="raw">{JSON.stringify(value, null, 2)}</pre>
    </>
  );
}
