import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import type { FraudCase } from '../api/types.js';
import type { SignedInUser } from '../auth/session.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import { actorLabel } from './actor-label.js';
import { reasonProblem } from './form-checks.js';
import { EvidenceList } from './fraud-evidence.js';
import { fraudKindLabel } from './fraud-words.js';
import { keys } from './query-keys.js';
import { useCan, useStaff } from './staff-context.js';
import { StatusBadge } from './status-badge.js';

/** `decidedBy` is "<actor type>:<actor id>", as the audit log names actors. */
function decider(decidedBy: string, me: SignedInUser): string {
  const [type = '', id = ''] = decidedBy.split(':');
  return id === '' ? decidedBy : actorLabel({ type, id }, me);
}

interface DecisionBody {
  readonly decision: 'confirm' | 'dismiss';
  readonly reason: string;
  readonly bar?: boolean;
}

/** A fraud case: who and what, the evidence the rule saw, and (for operators) the decision. */
export function FraudCaseView({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const fraudCase = useQuery({
    queryKey: keys.fraudCase(caseId),
    queryFn: ({ signal }) => api<FraudCase>(`/v1/fraud-cases/${encodeURIComponent(caseId)}`, { signal }),
  });
  return (
    <Card title="Fraud case" className="fraud-case">
      <p>
        <button type="button" className="link-button" onClick={onClose}>
          Back to the cases
        </button>
      </p>
      <QueryView query={fraudCase}>{(data) => <CaseDetail fraudCase={data} />}</QueryView>
    </Card>
  );
}

function CaseDetail({ fraudCase }: { fraudCase: FraudCase }) {
  const f = useLocale();
  const canDecide = useCan('operator');
  const me = useStaff();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  return (
    <>
      <FormMessage success={notice} />
      <h3>{fraudKindLabel(fraudCase.kind)}</h3>
      <p>{fraudCase.summary}</p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge
            status={fraudCase.status}
            tone={fraudCase.status === 'confirmed' ? 'bad' : fraudCase.status === 'open' ? 'warn' : 'neutral'}
          />
        </dd>
        <dt>Customer</dt>
        <dd>
          <Link to={`/console/customers/${fraudCase.customerId}`}>{fraudCase.customerName}</Link>
        </dd>
        <dt>Line</dt>
        <dd>{fraudCase.identifier ?? fraudCase.subscriptionId.slice(0, 8)}</dd>
        <dt>Line barred</dt>
        <dd>
          {fraudCase.barred ? (
            <span className="badge bad">Barred: no chargeable usage until reviewed</span>
          ) : (
            'No'
          )}
        </dd>
        <dt>Occurrences</dt>
        <dd>{num(f, fraudCase.occurrences)}</dd>
        <dt>Opened</dt>
        <dd>{dateTime(f, fraudCase.openedAt)}</dd>
        <dt>Last seen</dt>
        <dd>{dateTime(f, fraudCase.lastSeenAt)}</dd>
        {fraudCase.decidedAt === null ? null : (
          <>
            <dt>Decided</dt>
            <dd>
              {dateTime(f, fraudCase.decidedAt)}
              {fraudCase.decidedBy === null ? '' : ` by ${decider(fraudCase.decidedBy, me)}`}
            </dd>
            <dt>Reason</dt>
            <dd>{fraudCase.reason ?? '—'}</dd>
          </>
        )}
      </dl>
      <h3>Evidence</h3>
      <EvidenceList evidence={fraudCase.evidence} />
      {fraudCase.status === 'open' && canDecide ? (
        <DecisionForm fraudCase={fraudCase} onDone={setNotice} />
      ) : null}
      {fraudCase.status === 'open' && !canDecide ? (
        <p className="hint">Operators and admins decide fraud cases.</p>
      ) : null}
    </>
  );
}

/** Confirm (optionally barring the line) or dismiss (which lifts a bar), always with a reason. */
function DecisionForm({ fraudCase, onDone }: { fraudCase: FraudCase; onDone: (notice: string) => void }) {
  const client = useQueryClient();
  const [decision, setDecision] = useState<'confirm' | 'dismiss'>('confirm');
  const [reason, setReason] = useState('');
  const [bar, setBar] = useState(fraudCase.barred);
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const decide = useIdempotentMutation({
    mutationFn: (body: DecisionBody, idempotencyKey) =>
      api<FraudCase>(`/v1/fraud-cases/${fraudCase.id}/decision`, { body, idempotencyKey }),
    onSuccess: async (decided) => {
      client.setQueryData(keys.fraudCase(fraudCase.id), decided);
      await client.invalidateQueries({ queryKey: keys.fraudCases });
      onDone(
        decided.status === 'confirmed'
          ? `Case confirmed${decided.barred ? '; the line is barred' : ''}.`
          : 'Case dismissed; any bar on the line is lifted.',
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = reasonProblem(reason);
    setInvalid(problem);
    if (problem !== undefined) return;
    decide.mutate({
      decision,
      reason: reason.trim(),
      ...(decision === 'confirm' ? { bar } : {}),
    });
  };
  return (
    <form className="form decision-form" onSubmit={submit} noValidate aria-label="Decision">
      <h3>Decision</h3>
      <fieldset className="choice-group">
        <legend>Is this fraud?</legend>
        <label className="check">
          <input
            type="radio"
            name="decision"
            value="confirm"
            checked={decision === 'confirm'}
            onChange={() => setDecision('confirm')}
          />
          Confirm: this is fraud
        </label>
        <label className="check">
          <input
            type="radio"
            name="decision"
            value="dismiss"
            checked={decision === 'dismiss'}
            onChange={() => setDecision('dismiss')}
          />
          Dismiss: not fraud{fraudCase.barred ? ' (lifts the bar on the line)' : ''}
        </label>
      </fieldset>
      {decision === 'confirm' ? (
        <label className="check">
          <input type="checkbox" checked={bar} onChange={(event) => setBar(event.target.checked)} />
          Bar the line from further chargeable usage
        </label>
      ) : null}
      <TextAreaField
        label="Reason"
        required
        rows={3}
        maxLength={1000}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={invalid}
      />
      <FormMessage error={errorText(decide.error)} />
      <div className="actions">
        <button
          type="submit"
          className={decision === 'confirm' ? 'button danger' : 'button primary'}
          disabled={decide.isPending}
        >
          {decide.isPending ? 'Saving…' : decision === 'confirm' ? 'Confirm case' : 'Dismiss case'}
        </button>
      </div>
    </form>
  );
}
