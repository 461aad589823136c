import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { API_ROLES, roleOf } from './api-keys-card.js';
import type { ApiRole, Customer, User } from './console-types.js';
import { fieldError, hasProblems, type Problems } from './form-checks.js';
import { keys } from './query-keys.js';
import { StatusBadge } from './status-badge.js';

const USER_PAGE_SIZE = 25;
const PASSWORD_MIN_LENGTH = 12;

function locked(user: User): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > Date.now();
}

/** Portal users: staff with a role, and customer users who act for one customer. */
export function UsersCard() {
  const f = useLocale();
  const pages = useCursorPages();
  const [kind, setKind] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const users = useQuery({
    queryKey: [...keys.users, kind, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<User>>(`/v1/users${query({ kind, limit: USER_PAGE_SIZE, cursor: pages.cursor })}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Users">
      <CreateUser onCreated={setNotice} />
      <FormMessage success={notice} />
      <div className="form-row filters">
        <SelectField
          label="Show"
          value={kind}
          onChange={(event) => {
            setKind(event.target.value);
            pages.reset();
          }}
        >
          <option value="">All users</option>
          <option value="staff">Staff</option>
          <option value="customer">Customer users</option>
        </SelectField>
      </div>
      <QueryView query={users} isEmpty={(page) => page.items.length === 0} empty="No users.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Created</th>
                    <th scope="col">Sign-in</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((user) => (
                    <tr key={user.id}>
                      <td data-label="E-mail">{user.email}</td>
                      <td data-label="Role">{user.role}</td>
                      <td data-label="Customer">
                        {user.customerId === null ? (
                          '—'
                        ) : (
                          <Link to={`/console/customers/${user.customerId}`}>Open customer</Link>
                        )}
                      </td>
                      <td data-label="Created">{dateTime(f, user.createdAt)}</td>
                      <td data-label="Sign-in">
                        {locked(user) ? (
                          <UnlockUser user={user} onUnlocked={setNotice} />
                        ) : (
                          <StatusBadge status="active" />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="User pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

function UnlockUser({ user, onUnlocked }: { user: User; onUnlocked: (notice: string) => void }) {
  const f = useLocale();
  const client = useQueryClient();
  const unlock = useIdempotentMutation({
    mutationFn: (_: string, idempotencyKey) =>
      api<User>(`/v1/users/${user.id}/unlock`, { method: 'POST', idempotencyKey }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.users });
      onUnlocked(`${user.email} can sign in again.`);
    },
  });
  return (
    <>
      <StatusBadge status="locked" /> until {dateTime(f, user.lockedUntil ?? '')}{' '}
      <button
        type="button"
        className="button secondary"
        disabled={unlock.isPending}
        onClick={() => unlock.mutate(user.id)}
      >
        Unlock<span className="visually-hidden"> {user.email}</span>
      </button>
      <FormMessage error={errorText(unlock.error)} />
    </>
  );
}

interface CreateUserBody {
  readonly email: string;
  readonly password: string;
  readonly kind: 'staff' | 'customer';
  readonly role?: ApiRole;
  readonly customerId?: string;
}

function CreateUser({ onCreated }: { onCreated: (notice: string) => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [kind, setKind] = useState<'staff' | 'customer'>('staff');
  const [role, setRole] = useState<ApiRole>('support');
  const [customerText, setCustomerText] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [invalid, setInvalid] = useState<Problems>({});
  const customers = useQuery({
    queryKey: ['customers', 'pick', customerText.trim()],
    queryFn: ({ signal }) =>
      api<ApiPage<Customer>>(`/v1/customers${query({ q: customerText.trim(), limit: 10 })}`, { signal }),
    enabled: kind === 'customer' && customerText.trim().length >= 2,
    placeholderData: keepPreviousData,
  });
  const create = useIdempotentMutation({
    mutationFn: (body: CreateUserBody, idempotencyKey) => api<User>('/v1/users', { body, idempotencyKey }),
    onSuccess: async (user) => {
      setEmail('');
      setPassword('');
      onCreated(`User ${user.email} created. Give them the initial password by a separate channel.`);
      await client.invalidateQueries({ queryKey: keys.users });
    },
  });
  const found = customers.data?.items ?? [];
  const chosen = found.some((c) => c.id === customerId) ? customerId : (found[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      email: /^[^@\s]+@[^@\s]+$/.test(email.trim()) ? undefined : 'An e-mail address',
      password:
        [...password].length >= PASSWORD_MIN_LENGTH
          ? undefined
          : `At least ${PASSWORD_MIN_LENGTH} characters`,
      customer: kind === 'customer' && chosen === '' ? 'Find and choose the customer' : undefined,
    };
    setInvalid(problems);
    if (hasProblems(problems)) return;
    create.mutate({
      email: email.trim(),
      password,
      kind,
      ...(kind === 'staff' ? { role } : { customerId: chosen }),
    });
  };
  return (
    <details className="create-user">
      <summary>Create a user</summary>
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="E-mail"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={invalid.email ?? fieldError(create.error, 'email')}
        />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters, not the e-mail address`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={invalid.password ?? fieldError(create.error, 'password')}
        />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(event) => setKind(event.target.value === 'customer' ? 'customer' : 'staff')}
        >
          <option value="staff">Staff</option>
          <option value="customer">Customer user</option>
        </SelectField>
        {kind === 'staff' ? (
          <SelectField label="Role" value={role} onChange={(event) => setRole(roleOf(event.target.value))}>
            {API_ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </SelectField>
        ) : (
          <>
            <Field
              label="Find the customer"
              type="search"
              hint="Name or e-mail address"
              value={customerText}
              onChange={(event) => setCustomerText(event.target.value)}
              error={invalid.customer ?? fieldError(create.error, 'customerId')}
            />
            {found.length === 0 ? (
              customerText.trim().length >= 2 && !customers.isFetching ? (
                <p className="hint">No customer matches.</p>
              ) : null
            ) : (
              <SelectField
                label="Customer"
                value={chosen}
                onChange={(event) => setCustomerId(event.target.value)}
              >
                {found.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.displayName}
                    {c.email === null ? '' : ` (${c.email})`}
                  </option>
                ))}
              </SelectField>
            )}
          </>
        )}
        <FormMessage error={errorText(create.error)} />
        <div className="actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </details>
  );
}
