import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { FormMessage } from '../ui/field.js';
import { QueryView } from '../ui/query-view.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { actorLabel } from './actor-label.js';
import type { ReprocessSummary, SuspendedRecord, SuspenseAttempt } from './console-types.js';
import { fieldError, reasonProblem } from './form-checks.js';
import { keys } from './query-keys.js';
import { useCan, useStaff } from './staff-context.js';
import { StatusBadge, statusText } from './status-badge.js';

/** One suspended record: why, its raw text (editable while open), its attempts; fix, reprocess or discard. */
export function SuspendedRecordView({
  recordId,
  sourceName,
  onChanged,
}: {
  recordId: string;
  sourceName: (sourceId: string) => string;
  onChanged: (notice: string) => void;
}) {
  const found = useQuery({
    queryKey: keys.suspendedRecord(recordId),
    queryFn: ({ signal }) =>
      api<{ record: SuspendedRecord; attempts: SuspenseAttempt[] }>(`/v1/suspended-records/${recordId}`, {
        signal,
      }),
  });
  return (
    <QueryView query={found}>
      {(data) => (
        <RecordDetail
          record={data.record}
          attempts={data.attempts}
          sourceName={sourceName}
          onChanged={onChanged}
        />
      )}
    </QueryView>
  );
}

function RecordDetail({
  record,
  attempts,
  sourceName,
  onChanged,
}: {
  record: SuspendedRecord;
  attempts: readonly SuspenseAttempt[];
  sourceName: (sourceId: string) => string;
  onChanged: (notice: string) => void;
}) {
  const f = useLocale();
  const me = useStaff();
  const canAct = useCan('operator') && record.status === 'open';
  return (
    <div className="record-detail">
      <dl className="facts">
        <dt>Record</dt>
        <dd>{record.recordKey}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={record.status} />
        </dd>
        <dt>Reason</dt>
        <dd>{statusText(record.reason)}</dd>
        <dt>Message</dt>
        <dd>{record.message}</dd>
        {record.field === null ? null : (
          <>
            <dt>Field</dt>
            <dd>
              <code>{record.field}</code>
            </dd>
          </>
        )}
        <dt>Source</dt>
        <dd>
          {sourceName(record.sourceId)}
          {record.lineNumber === null ? '' : `, line ${num(f, record.lineNumber)}`}
        </dd>
        <dt>Suspended</dt>
        <dd>{dateTime(f, record.createdAt)}</dd>
      </dl>
      {canAct ? (
        <FixRecord record={record} onChanged={onChanged} />
      ) : (
        <>
          <h3>Raw record</h3>
          <pre className="raw">{record.raw}</pre>
        </>
      )}
      {record.originalRaw === record.raw ? null : (
        <>
          <h3>As received</h3>
          <pre className="raw">{record.originalRaw}</pre>
        </>
      )}
      {canAct ? <DiscardRecord record={record} onChanged={onChanged} /> : null}
      {attempts.length === 0 ? null : (
        <>
          <h3>Attempts</h3>
          <div className="table-wrap">
            <table className="data stack">
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">When</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((attempt) => (
                  <tr key={attempt.attempt}>
                    <td data-label="Attempt">{num(f, attempt.attempt)}</td>
                    <td data-label="When">{dateTime(f, attempt.createdAt)}</td>
                    <td data-label="Outcome">
                      <StatusBadge status={attempt.outcome} />
                      {attempt.reason === null ? null : (
                        <span className="hint cell-note">
                          {statusText(attempt.reason)}: {attempt.message}
                        </span>
                      )}
                    </td>
                    <td data-label="By">{actorLabel(attempt.actor, me)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** Edit the raw text (the original is kept), then reprocess this record alone. */
function FixRecord({ record, onChanged }: { record: SuspendedRecord; onChanged: (notice: string) => void }) {
  const f = useLocale();
  const client = useQueryClient();
  const [raw, setRaw] = useState(record.raw);
  const refresh = () => client.invalidateQueries({ queryKey: keys.suspended });
  const save = useMutation({
    mutationFn: (text: string) =>
      api<SuspendedRecord>(`/v1/suspended-records/${record.id}`, { method: 'PATCH', body: { raw: text } }),
  });
  const reprocess = useIdempotentMutation({
    mutationFn: (body: { ids: readonly string[] }, idempotencyKey) =>
      api<ReprocessSummary>('/v1/suspended-records/reprocess', { body, idempotencyKey }),
  });
  const busy = save.isPending || reprocess.isPending;
  const submit = async (event: FormEvent, thenReprocess: boolean) => {
    event.preventDefault();
    try {
      if (raw !== record.raw) await save.mutateAsync(raw);
      if (!thenReprocess) {
        await refresh();
        onChanged(`Record ${record.recordKey} saved; it stays open until reprocessed.`);
        return;
      }
      const summary = await reprocess.mutateAsync({ ids: [record.id] });
      await refresh();
      onChanged(
        summary.suspended > 0
          ? `Record ${record.recordKey} failed again: see its new reason.`
          : `Record ${record.recordKey} reprocessed: ${num(f, summary.loaded)} loaded, ${num(f, summary.duplicate)} duplicate.`,
      );
    } catch {
      // The mutation holds the error; the form shows it.
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event, true)} noValidate>
      <TextAreaField
        label="Raw record"
        hint="Fix the fields here; the text as received is kept"
        rows={6}
        className="raw-input"
        spellCheck={false}
        value={raw}
        onChange={(event) => setRaw(event.target.value)}
        error={fieldError(save.error, 'raw')}
      />
      <FormMessage error={errorText(save.error ?? reprocess.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Working…' : 'Save and reprocess'}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={busy || raw === record.raw}
          onClick={(event) => void submit(event, false)}
        >
          Save changes
        </button>
      </div>
    </form>
  );
}

function DiscardRecord({
  record,
  onChanged,
}: {
  record: SuspendedRecord;
  onChanged: (notice: string) => void;
}) {
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const discard = useIdempotentMutation({
    mutationFn: (body: { note: string }, idempotencyKey) =>
      api<SuspendedRecord>(`/v1/suspended-records/${record.id}/discard`, { body, idempotencyKey }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.suspended });
      onChanged(`Record ${record.recordKey} discarded.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = reasonProblem(note);
    setInvalid(problem);
    if (problem === undefined) discard.mutate({ note: note.trim() });
  };
  return (
    <details className="discard">
      <summary>Discard this record</summary>
      <form className="form" onSubmit={submit} noValidate>
        <TextAreaField
          label="Reason"
          hint="Why this record is not usage to bill; kept with the record"
          rows={2}
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          error={invalid ?? fieldError(discard.error, 'note')}
        />
        <FormMessage error={errorText(discard.error)} />
        <div className="actions">
          <button type="submit" className="button danger" disabled={discard.isPending}>
            {discard.isPending ? 'Discarding…' : 'Discard'}
          </button>
        </div>
      </form>
    </details>
  );
}
