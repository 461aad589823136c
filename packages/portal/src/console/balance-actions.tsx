import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { DialogButton } from '../ui/dialog.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { Account, LedgerTransaction } from './console-types.js';
import { amountProblem, fieldError, hasProblems, type Problems, reasonProblem } from './form-checks.js';
import { keys } from './query-keys.js';

/** What a balance change makes stale: the balance, its movements and the customer's audit trail. */
function useRefreshBalance(accountId: string, customerId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.balance(accountId) }),
      client.invalidateQueries({ queryKey: keys.ledger(accountId) }),
      client.invalidateQueries({ queryKey: keys.audit(customerId) }),
    ]);
}

/** A credit or debit of the main balance by hand, with the reason kept on the ledger and in the audit. */
export function AdjustBalanceDialog({
  account,
  customerId,
  onDone,
}: {
  account: Account;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  return (
    <DialogButton label="Adjust balance">
      {(close) => (
        <AdjustBalanceForm
          account={account}
          customerId={customerId}
          onDone={(notice) => {
            close();
            onDone(notice);
          }}
        />
      )}
    </DialogButton>
  );
}

function AdjustBalanceForm({
  account,
  customerId,
  onDone,
}: {
  account: Account;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  const f = useLocale();
  const refresh = useRefreshBalance(account.id, customerId);
  const [direction, setDirection] = useState<'credit' | 'debit'>('credit');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Problems>({});
  const adjust = useIdempotentMutation({
    mutationFn: (body: { amount: string; reason: string }, idempotencyKey) =>
      api<LedgerTransaction>(`/v1/accounts/${account.id}/adjustments`, { body, idempotencyKey }),
    onSuccess: async (_result, body) => {
      await refresh();
      const shown = money(f, body.amount.replace(/^-/, ''), account.currency);
      onDone(body.amount.startsWith('-') ? `Balance debited by ${shown}.` : `Balance credited by ${shown}.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = amount.trim();
    const problems = { amount: amountProblem(text), reason: reasonProblem(reason) };
    setInvalid(problems);
    if (hasProblems(problems)) return;
    adjust.mutate({ amount: direction === 'debit' ? `-${text}` : text, reason: reason.trim() });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <SelectField
        label="Direction"
        value={direction}
        onChange={(event) => setDirection(event.target.value === 'debit' ? 'debit' : 'credit')}
      >
        <option value="credit">Credit: add to the balance</option>
        <option value="debit">Debit: take from the balance</option>
      </SelectField>
      <Field
        label="Amount"
        hint={`In ${account.currency}`}
        inputMode="decimal"
        required
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        error={invalid.amount ?? fieldError(adjust.error, 'amount')}
      />
      <TextAreaField
        label="Reason"
        hint="Kept on the ledger and in the audit trail"
        required
        maxLength={500}
        rows={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={invalid.reason ?? fieldError(adjust.error, 'reason')}
      />
      <FormMessage error={errorText(adjust.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={adjust.isPending}>
          {adjust.isPending ? 'Adjusting…' : 'Adjust'}
        </button>
      </div>
    </form>
  );
}

/** A top-up of the main balance: money the customer paid elsewhere, or a credit by hand. */
export function TopUpDialog({
  account,
  customerId,
  onDone,
}: {
  account: Account;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  return (
    <DialogButton label="Top up">
      {(close) => (
        <TopUpForm
          account={account}
          customerId={customerId}
          onDone={(notice) => {
            close();
            onDone(notice);
          }}
        />
      )}
    </DialogButton>
  );
}

interface TopUpBody {
  readonly amount: string;
  readonly method: 'payment' | 'operator';
  readonly description: string;
  readonly reference?: string;
}

function TopUpForm({
  account,
  customerId,
  onDone,
}: {
  account: Account;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  const f = useLocale();
  const refresh = useRefreshBalance(account.id, customerId);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<'payment' | 'operator'>('operator');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Problems>({});
  const topUp = useIdempotentMutation({
    mutationFn: (body: TopUpBody, idempotencyKey) =>
      api<LedgerTransaction>(`/v1/accounts/${account.id}/topups`, { body, idempotencyKey }),
    onSuccess: async (_result, body) => {
      await refresh();
      onDone(`Topped up by ${money(f, body.amount, account.currency)}.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = amount.trim();
    const problems = { amount: amountProblem(text), reason: reasonProblem(reason) };
    setInvalid(problems);
    if (hasProblems(problems)) return;
    const ref = reference.trim();
    topUp.mutate({
      amount: text,
      method,
      description: reason.trim(),
      ...(ref === '' ? {} : { reference: ref }),
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field
        label="Amount"
        hint={`In ${account.currency}`}
        inputMode="decimal"
        required
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        error={invalid.amount ?? fieldError(topUp.error, 'amount')}
      />
      <SelectField
        label="Method"
        value={method}
        onChange={(event) => setMethod(event.target.value === 'payment' ? 'payment' : 'operator')}
      >
        <option value="operator">Credited by hand</option>
        <option value="payment">Payment received</option>
      </SelectField>
      <Field
        label="Reference"
        hint="Optional: the payment's reference"
        maxLength={256}
        value={reference}
        onChange={(event) => setReference(event.target.value)}
      />
      <TextAreaField
        label="Reason"
        hint="Kept as the top-up's description and in the audit trail"
        required
        maxLength={500}
        rows={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={invalid.reason ?? fieldError(topUp.error, 'description')}
      />
      <FormMessage error={errorText(topUp.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={topUp.isPending}>
          {topUp.isPending ? 'Topping up…' : 'Confirm top-up'}
        </button>
      </div>
    </form>
  );
}
