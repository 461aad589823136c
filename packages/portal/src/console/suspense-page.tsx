import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Dialog } from '../ui/dialog.js';
import { FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { ReprocessSummary, SuspendedRecord, UsageSource } from './console-types.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge, statusText } from './status-badge.js';
import { SuspendedRecordView } from './suspended-record-view.js';

const RECORD_PAGE_SIZE = 50;

/** The reasons mediation suspends a record for (docs/mediation.md, Suspense). */
export const SUSPENSE_REASONS = [
  'malformed_record',
  'record_too_large',
  'missing_field',
  'invalid_field',
  'negative_usage',
  'impossible_usage',
  'invalid_number',
  'unknown_subscriber',
  'inactive_subscriber',
  'no_rate',
  'currency_mismatch',
] as const;

interface ReprocessBody {
  readonly ids?: readonly string[];
  readonly source?: string;
  readonly reason?: string;
}

function summaryText(summary: ReprocessSummary, f: ReturnType<typeof useLocale>): string {
  return (
    `Reprocessed ${num(f, summary.examined)}: ${num(f, summary.loaded)} loaded, ` +
    `${num(f, summary.duplicate)} duplicates, ${num(f, summary.suspended)} still suspended.`
  );
}

/**
 * Records mediation could not rate: operators read why, fix the raw text, discard what is not
 * usage to bill, and reprocess against the lines and catalog as they are now.
 */
export function SuspensePage() {
  const f = useLocale();
  const canAct = useCan('operator');
  const client = useQueryClient();
  const pages = useCursorPages();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const reason = params.get('reason') ?? '';
  const source = params.get('source') ?? '';
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [opened, setOpened] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const sources = useQuery({
    queryKey: keys.usageSources,
    queryFn: ({ signal }) => api<{ items: UsageSource[] }>('/v1/usage-sources', { signal }),
    staleTime: 60_000,
  });
  const records = useQuery({
    queryKey: [...keys.suspended, 'list', status, reason, source, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<SuspendedRecord>>(
        `/v1/suspended-records${query({
          status: status === 'any' ? undefined : status,
          reason,
          source,
          limit: RECORD_PAGE_SIZE,
          cursor: pages.cursor,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  const reprocess = useIdempotentMutation({
    mutationFn: (body: ReprocessBody, idempotencyKey) =>
      api<ReprocessSummary>('/v1/suspended-records/reprocess', { body, idempotencyKey }),
    onSuccess: async (summary) => {
      setSelected(new Set());
      setNotice(summaryText(summary, f));
      await client.invalidateQueries({ queryKey: keys.suspended });
    },
  });
  const filter = (name: string, value: string) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
    pages.reset();
    setSelected(new Set());
  };
  const sourceName = (sourceId: string) =>
    sources.data?.items.find((s) => s.id === sourceId)?.name ?? sourceId.slice(0, 8);
  const openOnPage = records.data?.items.filter((r) => r.status === 'open') ?? [];
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Page title="Suspended records">
      <Card title="Filters">
        <div className="form-row filters">
          <SelectField
            label="Status"
            value={status}
            onChange={(event) => filter('status', event.target.value)}
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="discarded">Discarded</option>
            <option value="any">Any</option>
          </SelectField>
          <SelectField
            label="Reason"
            value={reason}
            onChange={(event) => filter('reason', event.target.value)}
          >
            <option value="">Any reason</option>
            {SUSPENSE_REASONS.map((code) => (
              <option key={code} value={code}>
                {statusText(code)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Source"
            value={source}
            onChange={(event) => filter('source', event.target.value)}
          >
            <option value="">Any source</option>
            {sources.data?.items.map((s) => (
              <option key={s.id} value={s.name}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
      </Card>
      <Card title="Records">
        {canAct ? (
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={selected.size === 0 || reprocess.isPending}
              onClick={() => reprocess.mutate({ ids: [...selected] })}
            >
              Reprocess selected ({num(f, selected.size)})
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={reprocess.isPending || status !== 'open'}
              onClick={() =>
                reprocess.mutate({
                  ...(source === '' ? {} : { source }),
                  ...(reason === '' ? {} : { reason }),
                })
              }
            >
              {reason === '' && source === '' ? 'Reprocess all open' : 'Reprocess all open that match'}
            </button>
          </div>
        ) : null}
        {reprocess.isPending ? <p role="status">Reprocessing…</p> : null}
        <FormMessage error={errorText(reprocess.error)} success={notice} />
        <QueryView
          query={records}
          isEmpty={(page) => page.items.length === 0}
          empty={status === 'open' ? 'No open suspended records: everything was rated.' : 'No records match.'}
        >
          {(page) => (
            <>
              <div className="table-wrap">
                <table className="data stack">
                  <thead>
                    <tr>
                      {canAct ? (
                        <th scope="col">
                          <input
                            type="checkbox"
                            aria-label="Select every open record on this page"
                            checked={openOnPage.length > 0 && openOnPage.every((r) => selected.has(r.id))}
                            disabled={openOnPage.length === 0}
                            onChange={(event) =>
                              setSelected(
                                event.target.checked ? new Set(openOnPage.map((r) => r.id)) : new Set(),
                              )
                            }
                          />
                        </th>
                      ) : null}
                      <th scope="col">Record</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Source</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Attempts
                      </th>
                      <th scope="col">Suspended</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((record) => (
                      <tr key={record.id}>
                        {canAct ? (
                          <td data-label="Select">
                            <input
                              type="checkbox"
                              aria-label={`Select record ${record.recordKey}`}
                              checked={selected.has(record.id)}
                              disabled={record.status !== 'open'}
                              onChange={() => toggle(record.id)}
                            />
                          </td>
                        ) : null}
                        <td data-label="Record">
                          <button type="button" className="link-button" onClick={() => setOpened(record.id)}>
                            {record.recordKey}
                          </button>
                          {record.lineNumber === null ? null : (
                            <span className="hint cell-note">line {num(f, record.lineNumber)}</span>
                          )}
                        </td>
                        <td data-label="Reason">
                          {statusText(record.reason)}
                          <span className="hint cell-note">{record.message}</span>
                        </td>
                        <td data-label="Source">{sourceName(record.sourceId)}</td>
                        <td data-label="Status">
                          <StatusBadge status={record.status} />
                        </td>
                        <td data-label="Attempts" className="num">
                          {num(f, record.attempts)}
                        </td>
                        <td data-label="Suspended">{dateTime(f, record.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={page.nextCursor} label="Record pages" />
            </>
          )}
        </QueryView>
      </Card>
      <Dialog open={opened !== null} title="Suspended record" onClose={() => setOpened(null)} wide>
        {opened === null ? null : (
          <SuspendedRecordView
            recordId={opened}
            sourceName={sourceName}
            onChanged={(text) => {
              setNotice(text);
              setOpened(null);
            }}
          />
        )}
      </Dialog>
    </Page>
  );
}
