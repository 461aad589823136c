import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { CopyButton } from '../ui/copy-button.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { DialogButton } from '../ui/dialog.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { ApiKey, ApiRole, IssuedApiKey } from './console-types.js';
import { fieldError } from './form-checks.js';
import { keys } from './query-keys.js';
import { StatusBadge } from './status-badge.js';

const KEY_PAGE_SIZE = 25;

export const API_ROLES: readonly { value: ApiRole; label: string }[] = [
  { value: 'read-only', label: 'Read-only' },
  { value: 'support', label: 'Support' },
  { value: 'operator', label: 'Operator' },
  { value: 'admin', label: 'Admin' },
];

export function roleOf(value: string): ApiRole {
  return API_ROLES.find((role) => role.value === value)?.value ?? 'read-only';
}

/** API keys: issue one (shown once, to copy), list them, revoke them. */
export function ApiKeysCard() {
  const f = useLocale();
  const pages = useCursorPages();
  const [status, setStatus] = useState('active');
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const list = useQuery({
    queryKey: [...keys.apiKeys, status, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<ApiKey>>(
        `/v1/api-keys${query({ status: status === 'all' ? undefined : status, limit: KEY_PAGE_SIZE, cursor: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="API keys">
      <IssueKeyForm
        onIssued={(key) => {
          setNotice(undefined);
          setIssued(key);
        }}
      />
      {issued === null ? null : <NewKey issued={issued} onDismiss={() => setIssued(null)} />}
      <FormMessage success={notice} />
      <div className="form-row filters">
        <SelectField
          label="Show"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value);
            pages.reset();
          }}
        >
          <option value="active">Active keys</option>
          <option value="revoked">Revoked keys</option>
          <option value="all">All keys</option>
        </SelectField>
      </div>
      <QueryView query={list} isEmpty={(page) => page.items.length === 0} empty="No keys.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Starts with</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((key) => (
                    <tr key={key.id}>
                      <td data-label="Name">{key.name}</td>
                      <td data-label="Starts with">
                        <code>{key.prefix}</code>
                      </td>
                      <td data-label="Role">{key.role}</td>
                      <td data-label="Created">{dateTime(f, key.createdAt)}</td>
                      <td data-label="Last used">
                        {key.lastUsedAt === null ? 'Never' : dateTime(f, key.lastUsedAt)}
                      </td>
                      <td data-label="Status">
                        {key.revokedAt === null ? (
                          <RevokeKey apiKey={key} onRevoked={setNotice} />
                        ) : (
                          <>
                            <StatusBadge status="revoked" /> {dateTime(f, key.revokedAt)}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="API key pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

function IssueKeyForm({ onIssued }: { onIssued: (key: IssuedApiKey) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiRole>('read-only');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const issue = useIdempotentMutation({
    mutationFn: (body: { name: string; role: ApiRole }, idempotencyKey) =>
      api<IssuedApiKey>('/v1/api-keys', { body, idempotencyKey }),
    onSuccess: async (key) => {
      setName('');
      onIssued(key);
      await client.invalidateQueries({ queryKey: keys.apiKeys });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setInvalid('Say what the key is for');
      return;
    }
    setInvalid(undefined);
    issue.mutate({ name: name.trim(), role });
  };
  return (
    <form className="form-row issue-key" onSubmit={submit} noValidate>
      <Field
        label="Key name"
        hint="What or who uses it"
        maxLength={200}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={invalid ?? fieldError(issue.error, 'name')}
      />
      <SelectField label="Role" value={role} onChange={(event) => setRole(roleOf(event.target.value))}>
        {API_ROLES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button primary" disabled={issue.isPending}>
        {issue.isPending ? 'Issuing…' : 'Issue API key'}
      </button>
      <FormMessage error={errorText(issue.error)} />
    </form>
  );
}

/** The new key, this once: the server keeps only its hash and never shows it again. */
function NewKey({ issued, onDismiss }: { issued: IssuedApiKey; onDismiss: () => void }) {
  if (issued.key === undefined)
    return (
      <div className="alert-warn" role="alert">
        <p>
          Key “{issued.name}” ({issued.prefix}…) was issued by an earlier request and cannot be shown again.
          Revoke it if the key was lost.
        </p>
        <button type="button" className="button secondary" onClick={onDismiss}>
          Close
        </button>
      </div>
    );
  return (
    <div className="alert-warn new-key" role="alert">
      <p>
        <strong>Copy the key “{issued.name}” now.</strong> It is shown this once: Tollgate keeps only a hash
        of it and cannot show it again. Store it where secrets belong.
      </p>
      <code className="secret">{issued.key}</code>
      <div className="actions">
        <CopyButton text={issued.key} label="Copy key" />
        <button type="button" className="button secondary" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function RevokeKey({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (notice: string) => void }) {
  return (
    <DialogButton label="Revoke" title={`Revoke the key “${apiKey.name}”`} className="button danger">
      {(close) => (
        <RevokeForm
          apiKey={apiKey}
          onRevoked={(notice) => {
            close();
            onRevoked(notice);
          }}
        />
      )}
    </DialogButton>
  );
}

function RevokeForm({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (notice: string) => void }) {
  const client = useQueryClient();
  const revoke = useIdempotentMutation({
    mutationFn: (_: string, idempotencyKey) =>
      api<ApiKey>(`/v1/api-keys/${apiKey.id}/revoke`, { method: 'POST', idempotencyKey }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.apiKeys });
      onRevoked(`Key “${apiKey.name}” revoked.`);
    },
  });
  return (
    <div className="form">
      <p>
        Whatever uses the key {apiKey.prefix}… ({apiKey.role}) is refused from now on. This cannot be undone.
      </p>
      <FormMessage error={errorText(revoke.error)} />
      <div className="actions">
        <button
          type="button"
          className="button danger"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(apiKey.id)}
        >
          {revoke.isPending ? 'Revoking…' : 'Revoke key'}
        </button>
      </div>
    </div>
  );
}
