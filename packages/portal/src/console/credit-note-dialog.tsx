import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { DialogButton } from '../ui/dialog.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { QueryView } from '../ui/query-view.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { Invoice, InvoiceDetail, InvoiceLine } from './console-types.js';
import { fromMicros, toMicros } from './decimal-amount.js';
import { amountProblem, fieldError, hasProblems, type Problems, reasonProblem } from './form-checks.js';
import { keys } from './query-keys.js';

interface CreditNoteBody {
  readonly reason: string;
  readonly lines?: readonly { readonly position: number; readonly amount?: string }[];
}

/**
 * Spreads a net amount over the invoice's lines in their order, each taking at most its own net,
 * for an amount credited "on the invoice" rather than on one line. The API checks what earlier
 * credit notes left on each line and says so if a line has less left than this takes.
 */
function spreadOverLines(
  lines: readonly InvoiceLine[],
  amount: string,
): { ok: true; lines: { position: number; amount: string }[] } | { ok: false; net: bigint } {
  let left = toMicros(amount) ?? 0n;
  let net = 0n;
  const taken: { position: number; amount: string }[] = [];
  for (const line of lines) {
    const lineNet = toMicros(line.amount) ?? 0n;
    if (lineNet <= 0n) continue;
    net += lineNet;
    if (left === 0n) continue;
    const take = left < lineNet ? left : lineNet;
    taken.push({ position: line.position, amount: fromMicros(take) });
    left -= take;
  }
  return left > 0n ? { ok: false, net } : { ok: true, lines: taken };
}

/** "Issue credit note": all or part of an invoice, or of one of its lines, with the reason printed on it. */
export function CreditNoteDialog({
  invoice,
  customerId,
  onDone,
}: {
  invoice: Invoice;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  return (
    <DialogButton
      label="Issue credit note"
      title={`Issue a credit note on ${invoice.number ?? 'the invoice'}`}
      wide
    >
      {(close) => (
        <CreditNoteLoader
          invoice={invoice}
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

function CreditNoteLoader({
  invoice,
  customerId,
  onDone,
}: {
  invoice: Invoice;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  const detail = useQuery({
    queryKey: keys.invoice(invoice.id),
    queryFn: ({ signal }) => api<InvoiceDetail>(`/v1/invoices/${invoice.id}`, { signal }),
  });
  return (
    <QueryView query={detail}>
      {(data) => <CreditNoteForm invoice={data} customerId={customerId} onDone={onDone} />}
    </QueryView>
  );
}

function CreditNoteForm({
  invoice,
  customerId,
  onDone,
}: {
  invoice: InvoiceDetail;
  customerId: string;
  onDone: (notice: string) => void;
}) {
  const f = useLocale();
  const client = useQueryClient();
  const creditableLines = invoice.lines.filter((line) => (toMicros(line.amount) ?? 0n) > 0n);
  const [position, setPosition] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Problems>({});
  const issue = useIdempotentMutation({
    mutationFn: (body: CreditNoteBody, idempotencyKey) =>
      api<InvoiceDetail>(`/v1/invoices/${invoice.id}/credit-notes`, { body, idempotencyKey }),
    onSuccess: async (note) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.invoices(invoice.accountId) }),
        client.invalidateQueries({ queryKey: keys.invoice(invoice.id) }),
        client.invalidateQueries({ queryKey: keys.payments(invoice.accountId) }),
        client.invalidateQueries({ queryKey: keys.receivable(invoice.accountId) }),
        client.invalidateQueries({ queryKey: keys.audit(customerId) }),
      ]);
      onDone(`Credit note ${note.number ?? ''} issued, total ${money(f, note.total, note.currency)}.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = amount.trim();
    const problems: Record<string, string | undefined> = {
      amount: text === '' ? undefined : amountProblem(text),
      reason: reasonProblem(reason),
    };
    let lines: CreditNoteBody['lines'];
    if (problems.amount === undefined && text !== '') {
      if (position === '') {
        const spread = spreadOverLines(creditableLines, text);
        if (spread.ok) lines = spread.lines;
        else
          problems.amount = `More than the invoice's net of ${money(f, fromMicros(spread.net), invoice.currency)}`;
      } else lines = [{ position: Number(position), amount: text }];
    } else if (position !== '') lines = [{ position: Number(position) }];
    setInvalid(problems);
    if (hasProblems(problems)) return;
    issue.mutate({ reason: reason.trim(), ...(lines === undefined ? {} : { lines }) });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <dl className="facts">
        <dt>Invoice total</dt>
        <dd>{money(f, invoice.total, invoice.currency)}</dd>
        <dt>Already credited</dt>
        <dd>{money(f, invoice.credited, invoice.currency)}</dd>
      </dl>
      <SelectField label="Credit" value={position} onChange={(event) => setPosition(event.target.value)}>
        <option value="">The whole invoice</option>
        {creditableLines.map((line) => (
          <option key={line.position} value={String(line.position)}>
            Line {line.position}: {line.label} ({money(f, line.amount, invoice.currency)} net)
          </option>
        ))}
      </SelectField>
      <Field
        label="Amount"
        hint={`Net, before tax, in ${invoice.currency}: the tax is credited in proportion. Leave empty to credit all that is left.`}
        inputMode="decimal"
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        error={invalid.amount ?? fieldError(issue.error, 'amount')}
      />
      <TextAreaField
        label="Reason"
        hint="Printed on the credit note"
        required
        maxLength={1000}
        rows={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={invalid.reason ?? fieldError(issue.error, 'reason')}
      />
      <FormMessage error={errorText(issue.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={issue.isPending}>
          {issue.isPending ? 'Issuing…' : 'Issue'}
        </button>
      </div>
    </form>
  );
}
