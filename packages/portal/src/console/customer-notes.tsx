import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { actorLabel } from './actor-label.js';
import type { CustomerNote } from './console-types.js';
import { fieldError } from './form-checks.js';
import { keys } from './query-keys.js';
import { useCan, useStaff } from './staff-context.js';

const NOTE_PAGE_SIZE = 20;
const MAX_NOTE_LENGTH = 10_000;

/** The customer's support log, newest first: append-only, a wrong note is corrected by a later one. */
export function CustomerNotes({ customerId }: { customerId: string }) {
  const f = useLocale();
  const me = useStaff();
  const pages = useCursorPages();
  const notes = useQuery({
    queryKey: [...keys.notes(customerId), pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<CustomerNote>>(
        `/v1/customers/${customerId}/notes${query({ limit: NOTE_PAGE_SIZE, cursor: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <AddNote customerId={customerId} onAdded={pages.reset} />
      <Card title="Notes">
        <QueryView query={notes} isEmpty={(page) => page.items.length === 0} empty="No notes yet.">
          {(page) => (
            <>
              <ol className="plain-list notes">
                {page.items.map((note) => (
                  <li key={note.id} className="note">
                    <p className="note-meta">
                      <time dateTime={note.createdAt}>{dateTime(f, note.createdAt)}</time> · by{' '}
                      {actorLabel(note.author, me)}
                    </p>
                    <p className="note-body">{note.body}</p>
                  </li>
                ))}
              </ol>
              <Pager pages={pages} nextCursor={page.nextCursor} label="Note pages" />
            </>
          )}
        </QueryView>
      </Card>
    </>
  );
}

function AddNote({ customerId, onAdded }: { customerId: string; onAdded: () => void }) {
  const canWrite = useCan('support');
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const [added, setAdded] = useState<string | undefined>(undefined);
  const add = useIdempotentMutation({
    mutationFn: (note: { body: string }, idempotencyKey) =>
      api<CustomerNote>(`/v1/customers/${customerId}/notes`, { body: note, idempotencyKey }),
    onSuccess: async () => {
      setBody('');
      setAdded('Note added.');
      onAdded();
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.notes(customerId) }),
        client.invalidateQueries({ queryKey: keys.audit(customerId) }),
      ]);
    },
  });
  if (!canWrite) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    if (body.trim() === '') {
      setInvalid('Write the note first');
      return;
    }
    setInvalid(undefined);
    add.mutate({ body });
  };
  return (
    <Card title="New note">
      <form className="form" onSubmit={submit} noValidate>
        <TextAreaField
          label="Note"
          hint="Plain text, kept as written; notes cannot be changed afterwards"
          rows={4}
          maxLength={MAX_NOTE_LENGTH}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          error={invalid ?? fieldError(add.error, 'body')}
        />
        <FormMessage error={errorText(add.error)} success={added} />
        <div className="actions">
          <button type="submit" className="button primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add note'}
          </button>
        </div>
      </form>
    </Card>
  );
}
