import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { lineLabel, type Subscription } from '../api/types.js';
import { dateTime } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { DialogButton } from '../ui/dialog.js';
import { FormMessage, SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { Account, Plan } from './console-types.js';
import { fieldError, hasProblems, type Problems, reasonProblem } from './form-checks.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge } from './status-badge.js';
import { useLines } from './use-lines.js';
import { usePlans } from './use-plans.js';

type StaffChange = 'suspended' | 'restored' | 'plan_changed';

const CHANGE_WORDS: Record<StaffChange, { button: string; confirm: string; done: string }> = {
  suspended: { button: 'Suspend', confirm: 'Suspend line', done: 'suspended' },
  restored: { button: 'Restore', confirm: 'Restore line', done: 'restored' },
  plan_changed: { button: 'Change plan', confirm: 'Change plan now', done: 'moved to another plan' },
};

/** The account's lines with their status and plan; operators suspend, restore and change plans. */
export function CustomerLines({ account, customerId }: { account: Account; customerId: string }) {
  const f = useLocale();
  const canAct = useCan('operator');
  const plans = usePlans();
  const [notice, setNotice] = useState<{ success?: string; error?: string }>({});
  const lines = useLines(account.id);
  const planName = (planId: string | null) => {
    if (planId === null) return 'No plan';
    const plan = plans.data?.items.find((p) => p.id === planId);
    return plan === undefined ? planId.slice(0, 8) : plan.name;
  };
  return (
    <Card title="Lines">
      <FormMessage success={notice.success} />
      <FormMessage error={notice.error} />
      <QueryView query={lines} isEmpty={(page) => page.items.length === 0} empty="This account has no line.">
        {(page) => (
          <div className="table-wrap">
            <table className="data stack">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Status</th>
                  <th scope="col">Plan</th>
                  <th scope="col">Since</th>
                  {canAct ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {page.items.map((line) => (
                  <tr key={line.id}>
                    <td data-label="Number">{lineLabel(line)}</td>
                    <td data-label="Status">
                      <StatusBadge status={line.status} />
                    </td>
                    <td data-label="Plan">{planName(line.planId)}</td>
                    <td data-label="Since">{dateTime(f, line.startsAt)}</td>
                    {canAct ? (
                      <td data-label="Actions">
                        <LineActions
                          line={line}
                          accountId={account.id}
                          customerId={customerId}
                          plans={plans.data?.items ?? []}
                          onDone={setNotice}
                        />
                      </td>
                    ) : null}
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

function LineActions({
  line,
  accountId,
  customerId,
  plans,
  onDone,
}: {
  line: Subscription;
  accountId: string;
  customerId: string;
  plans: readonly Plan[];
  onDone: (notice: { success?: string; error?: string }) => void;
}) {
  const changes: StaffChange[] =
    line.status === 'terminated'
      ? []
      : line.status === 'suspended'
        ? ['restored', 'plan_changed']
        : ['suspended', 'plan_changed'];
  if (changes.length === 0) return <span className="hint">None: the line is terminated</span>;
  return (
    <div className="actions">
      {changes.map((kind) => (
        <DialogButton
          key={kind}
          label={CHANGE_WORDS[kind].button}
          title={`${CHANGE_WORDS[kind].button}: ${lineLabel(line)}`}
          className={kind === 'suspended' ? 'button danger' : 'button secondary'}
        >
          {(close) => (
            <LineChangeForm
              kind={kind}
              line={line}
              accountId={accountId}
              customerId={customerId}
              plans={plans}
              onDone={(notice) => {
                close();
                onDone(notice);
              }}
            />
          )}
        </DialogButton>
      ))}
    </div>
  );
}

interface ChangeRequest {
  readonly kind: StaffChange;
  readonly planId?: string;
  readonly reason: string;
}

/**
 * A line change asks for a reason like every console action; the change itself carries none, so
 * the reason goes to the customer's notes, next to the change in the audit trail. The note's key
 * is derived from the change's, so a retried submission notes the reason once.
 */
function LineChangeForm({
  kind,
  line,
  accountId,
  customerId,
  plans,
  onDone,
}: {
  kind: StaffChange;
  line: Subscription;
  accountId: string;
  customerId: string;
  plans: readonly Plan[];
  onDone: (notice: { success?: string; error?: string }) => void;
}) {
  const client = useQueryClient();
  const choices = plans.filter((p) => p.kind === 'base' && p.id !== line.planId && p.current !== null);
  const [planId, setPlanId] = useState(choices[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Problems>({});
  const words = CHANGE_WORDS[kind];
  const change = useIdempotentMutation({
    mutationFn: async (request: ChangeRequest, idempotencyKey) => {
      const body = {
        kind: request.kind,
        ...(request.planId === undefined ? {} : { planId: request.planId }),
      };
      await api(`/v1/subscriptions/${line.id}/changes`, { body, idempotencyKey });
      const plan = plans.find((p) => p.id === request.planId);
      const what = plan === undefined ? words.done : `moved to plan ${plan.name}`;
      try {
        await api(`/v1/customers/${customerId}/notes`, {
          body: { body: `Line ${lineLabel(line)} ${what}. Reason: ${request.reason}` },
          idempotencyKey: `${idempotencyKey}.note`,
        });
        return { noteError: undefined };
      } catch (error) {
        return { noteError: errorText(error) };
      }
    },
    onSuccess: async (result) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.lines(accountId) }),
        client.invalidateQueries({ queryKey: keys.notes(customerId) }),
        client.invalidateQueries({ queryKey: keys.audit(customerId) }),
      ]);
      onDone({
        success: `Line ${lineLabel(line)} ${words.done}.`,
        ...(result.noteError === undefined
          ? {}
          : { error: `The reason could not be added to the notes: ${result.noteError}` }),
      });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      reason: reasonProblem(reason),
      plan: kind === 'plan_changed' && planId === '' ? 'Choose the new plan' : undefined,
    };
    setInvalid(problems);
    if (hasProblems(problems)) return;
    change.mutate({ kind, reason: reason.trim(), ...(kind === 'plan_changed' ? { planId } : {}) });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      {kind === 'plan_changed' ? (
        choices.length === 0 ? (
          <p className="alert-warn">There is no other plan in effect to move this line to.</p>
        ) : (
          <SelectField label="New plan" value={planId} onChange={(event) => setPlanId(event.target.value)}>
            {choices.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name} ({plan.code})
              </option>
            ))}
          </SelectField>
        )
      ) : null}
      {invalid.plan === undefined ? null : <p className="error-text">{invalid.plan}</p>}
      <TextAreaField
        label="Reason"
        hint="Added to the customer's notes"
        required
        maxLength={2000}
        rows={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={invalid.reason ?? fieldError(change.error, 'reason')}
      />
      <FormMessage error={errorText(change.error)} />
      <div className="actions">
        <button
          type="submit"
          className={kind === 'suspended' ? 'button danger' : 'button primary'}
          disabled={change.isPending}
        >
          {change.isPending ? 'Saving…' : words.confirm}
        </button>
      </div>
    </form>
  );
}
