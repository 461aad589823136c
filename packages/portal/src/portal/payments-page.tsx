import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import type { Account } from '../api/types.js';
import { date, dateTime, money } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { amountInput, isAmountText, isPositive } from '../ui/exact-decimal.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { certainlyRefused, useAttemptKey } from './attempt-key.js';
import { isPayable } from './invoice-status.js';
import { INVOICES_KEY, useMyInvoices } from './my-invoices.js';
import {
  PaymentMethodsCard,
  type PaymentsTranslate,
  useCardName,
  usePaymentMethods,
} from './payment-methods.js';
import { paymentsTexts } from './payments-texts.js';
import { errorText, type Invoice, isMissingRoute, type Payment } from './portal-api.js';
import { usePortal } from './portal-context.js';

const PRESET_TOP_UPS = ['10.00', '20.00', '50.00'] as const;

/**
 * Paying: an open invoice (?invoice=<id> preselects it, as the invoice page's Pay now does), a
 * prepaid top-up, the saved cards, autopay, and the history of payments.
 */
export function PaymentsPage() {
  const t = useMessages(paymentsTexts);
  const { account } = usePortal();
  const [params] = useSearchParams();
  const wanted = params.get('invoice');
  // The top-up form is the target of links from the overview (#top-up).
  useEffect(() => {
    if (window.location.hash === '#top-up') document.getElementById('top-up')?.scrollIntoView();
  }, []);
  return (
    <Page title={t('title')}>
      <div className="grid">
        {account.kind !== 'prepaid' || wanted !== null ? (
          <PayInvoiceCard account={account} wanted={wanted} />
        ) : null}
        {account.kind !== 'postpaid' ? <TopUpCard account={account} /> : null}
      </div>
      <PaymentMethodsCard accountId={account.id} />
      {account.kind !== 'prepaid' ? <AutopayCard account={account} /> : null}
      <PaymentHistory account={account} />
    </Page>
  );
}

/** The reason of a declined or failed charge, in the customer's language when the code is known. */
function failureReason(t: PaymentsTranslate, payment: Payment): string {
  switch (payment.failureCode) {
    case 'card_declined':
      return t('reasonDeclined');
    case 'insufficient_funds':
      return t('reasonFunds');
    case 'authentication_required':
      return t('reasonAuth');
    case 'authentication_failed':
      return t('reasonAuthFailed');
    case 'unavailable':
    case 'network_error':
      return t('reasonUnavailable');
    default:
      return payment.failureMessage ?? payment.failureCode ?? '';
  }
}

type Outcome = { readonly kind: 'success' | 'error' | 'waiting'; readonly text: string };

function PayInvoiceCard({ account, wanted }: { account: Account; wanted: string | null }) {
  const t = useMessages(paymentsTexts);
  const f = useLocale();
  const client = useQueryClient();
  const invoices = useMyInvoices(account.id, 50);
  const methods = usePaymentMethods(account.id);
  const cardName = useCardName();
  const attempt = useAttemptKey();
  const open = (invoices.data?.pages.flatMap((page) => page.items) ?? []).filter(isPayable);
  const [invoiceId, setInvoiceId] = useState<string | null>(null);
  const [methodId, setMethodId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const chosenInvoice =
    open.find((i) => i.id === invoiceId) ?? open.find((i) => i.id === wanted) ?? open[0] ?? undefined;
  const cards = methods.data?.items ?? [];
  const chosenMethod = cards.find((m) => m.id === methodId) ?? cards.find((m) => m.isDefault) ?? cards[0];

  const pay = useMutation({
    mutationFn: (body: { invoiceId: string; paymentMethodId: string }) =>
      api<Payment>(`/v1/accounts/${account.id}/payment-collections`, {
        body,
        idempotencyKey: attempt.keyFor(body),
      }),
    onSuccess: (payment) => {
      if (payment.status === 'succeeded') {
        attempt.settle();
        setOutcome({
          kind: 'success',
          text: t('paySucceeded', { amount: money(f, payment.amount, payment.currency) }),
        });
      } else if (payment.status === 'failed') {
        attempt.settle();
        setOutcome({ kind: 'error', text: t('payFailed', { reason: failureReason(t, payment) }) });
      } else if (payment.status === 'requires_action') {
        attempt.settle();
        setOutcome({ kind: 'waiting', text: t('payNeedsAction') });
      } else {
        // Pending: the gateway did not answer; the same key learns the outcome on the next press.
        setOutcome({ kind: 'waiting', text: t('payPending') });
      }
    },
    onError: (error) => {
      if (certainlyRefused(error)) attempt.settle();
      setOutcome({ kind: 'error', text: errorText(error) });
    },
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: INVOICES_KEY }),
        client.invalidateQueries({ queryKey: ['me', 'payments'] }),
        client.invalidateQueries({ queryKey: ['invoice'] }),
        client.invalidateQueries({ queryKey: ['account', account.id] }),
      ]);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosenInvoice === undefined || chosenMethod === undefined) return;
    setOutcome(null);
    pay.mutate({ invoiceId: chosenInvoice.id, paymentMethodId: chosenMethod.id });
  }

  const optionText = (invoice: Invoice) => {
    const values = {
      number: invoice.number ?? invoice.id.slice(0, 8),
      amount: money(f, invoice.amountDue, invoice.currency),
    };
    return invoice.dueOn === null
      ? t('invoiceOption', values)
      : t('invoiceOptionDue', { ...values, date: date(f, invoice.dueOn) });
  };

  return (
    <Card title={t('payInvoice')}>
      {invoices.isPending || methods.isPending ? (
        <Loading />
      ) : invoices.isError ? (
        <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : open.length === 0 ? (
        <>
          {outcome === null ? null : <OutcomeMessage outcome={outcome} />}
          <Empty>{t('noOpenInvoices')}</Empty>
        </>
      ) : (
        <form className="form" onSubmit={submit}>
          <SelectField
            label={t('invoice')}
            value={chosenInvoice?.id ?? ''}
            onChange={(e) => {
              setInvoiceId(e.target.value);
              setOutcome(null);
            }}
          >
            {open.map((invoice) => (
              <option key={invoice.id} value={invoice.id}>
                {optionText(invoice)}
              </option>
            ))}
          </SelectField>
          {methods.isError ? (
            <ErrorState error={methods.error} onRetry={() => void methods.refetch()} />
          ) : cards.length === 0 ? (
            <p className="alert-warn">{t('needCard')}</p>
          ) : (
            <SelectField
              label={t('card')}
              value={chosenMethod?.id ?? ''}
              onChange={(e) => {
                setMethodId(e.target.value);
                setOutcome(null);
              }}
            >
              {cards.map((method) => (
                <option key={method.id} value={method.id}>
                  {cardName(method)} {method.isDefault ? t('defaultMark') : ''}
                </option>
              ))}
            </SelectField>
          )}
          {outcome === null ? null : <OutcomeMessage outcome={outcome} />}
          <div>
            <button
              type="submit"
              className="button primary"
              disabled={pay.isPending || chosenMethod === undefined || chosenInvoice === undefined}
            >
              {pay.isPending ? t('paying') : t('pay')}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}

function OutcomeMessage({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'success') return <FormMessage success={outcome.text} />;
  if (outcome.kind === 'error') return <FormMessage error={outcome.text} />;
  return (
    <p className="alert-warn" role="status">
      {outcome.text}
    </p>
  );
}

function TopUpCard({ account }: { account: Account }) {
  const t = useMessages(paymentsTexts);
  const f = useLocale();
  const client = useQueryClient();
  const methods = usePaymentMethods(account.id);
  const cardName = useCardName();
  const attempt = useAttemptKey();
  const [preset, setPreset] = useState<string>(PRESET_TOP_UPS[1]);
  const [other, setOther] = useState('');
  const [methodId, setMethodId] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const cards = methods.data?.items ?? [];
  const chosenMethod = cards.find((m) => m.id === methodId) ?? cards.find((m) => m.isDefault) ?? cards[0];

  const topUp = useMutation({
    mutationFn: (body: { amount: string; paymentMethodId: string }) =>
      api<{ payment: Payment; transaction: unknown }>(`/v1/accounts/${account.id}/card-top-ups`, {
        body,
        idempotencyKey: attempt.keyFor(body),
      }),
    onSuccess: (result) => {
      const { payment } = result;
      if (payment.status === 'succeeded') {
        attempt.settle();
        setOutcome({
          kind: 'success',
          text: t('topUpSucceeded', { amount: money(f, payment.amount, payment.currency) }),
        });
      } else if (payment.status === 'requires_action') {
        attempt.settle();
        setOutcome({ kind: 'waiting', text: t('topUpNeedsAction') });
      } else if (payment.status === 'failed') {
        attempt.settle();
        setOutcome({ kind: 'error', text: t('payFailed', { reason: failureReason(t, payment) }) });
      } else {
        setOutcome({ kind: 'waiting', text: t('topUpPending') });
      }
    },
    onError: (error) => {
      // A decline (402) or another refusal took nothing: a new attempt needs a new key.
      if (certainlyRefused(error)) attempt.settle();
      setOutcome({ kind: 'error', text: errorText(error) });
    },
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['account', account.id] }),
        client.invalidateQueries({ queryKey: ['me', 'payments'] }),
      ]);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const amount = preset === 'other' ? amountInput(other) : preset;
    if (!isAmountText(amount) || !isPositive(amount)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (chosenMethod === undefined) return;
    setOutcome(null);
    topUp.mutate({ amount, paymentMethodId: chosenMethod.id });
  }

  return (
    <Card title={t('topUpTitle')} className="top-up">
      <form id="top-up" className="form" onSubmit={submit}>
        <fieldset className="choice-group">
          <legend>{t('topUpAmount')}</legend>
          <div className="choice-row">
            {PRESET_TOP_UPS.map((amount) => (
              <label key={amount} className="check choice-pill">
                <input
                  type="radio"
                  name="top-up-amount"
                  value={amount}
                  checked={preset === amount}
                  onChange={() => setPreset(amount)}
                />{' '}
                {money(f, amount, account.currency)}
              </label>
            ))}
            <label className="check choice-pill">
              <input
                type="radio"
                name="top-up-amount"
                value="other"
                checked={preset === 'other'}
                onChange={() => setPreset('other')}
              />{' '}
              {t('otherAmount')}
            </label>
          </div>
        </fieldset>
        {preset === 'other' ? (
          <Field
            label={t('otherAmountLabel', { currency: account.currency })}
            inputMode="decimal"
            autoComplete="off"
            value={other}
            onChange={(e) => setOther(e.target.value)}
            error={invalid ? t('amountInvalid') : undefined}
          />
        ) : null}
        {methods.isPending ? (
          <Loading />
        ) : cards.length === 0 ? (
          <p className="alert-warn">{t('needCard')}</p>
        ) : (
          <SelectField
            label={t('card')}
            value={chosenMethod?.id ?? ''}
            onChange={(e) => setMethodId(e.target.value)}
          >
            {cards.map((method) => (
              <option key={method.id} value={method.id}>
                {cardName(method)} {method.isDefault ? t('defaultMark') : ''}
              </option>
            ))}
          </SelectField>
        )}
        {outcome === null ? null : <OutcomeMessage outcome={outcome} />}
        <div>
          <button
            type="submit"
            className="button primary"
            disabled={topUp.isPending || chosenMethod === undefined}
          >
            {topUp.isPending ? t('toppingUp') : t('topUp')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/** Autopay on or off, as the account says, changed by the customer. */
function AutopayCard({ account }: { account: Account }) {
  const t = useMessages(paymentsTexts);
  const client = useQueryClient();
  const known = account.autopay;
  const [enabled, setEnabled] = useState<boolean | undefined>(known);
  const save = useMutation({
    mutationFn: (next: boolean) =>
      api<{ accountId: string; autopay: boolean }>(`/v1/accounts/${account.id}/autopay`, {
        method: 'PUT',
        body: { enabled: next },
      }),
    onSuccess: async (result) => {
      setEnabled(result.autopay);
      await client.invalidateQueries({ queryKey: ['me', 'accounts'] });
    },
  });
  const shown = save.isPending ? save.variables : enabled;
  return (
    <Card title={t('autopay')}>
      <fieldset className="choice-group" disabled={save.isPending}>
        <legend>{t('autopayIntro')}</legend>
        <label className="check">
          <input type="radio" name="autopay" checked={shown === true} onChange={() => save.mutate(true)} />{' '}
          {t('autopayOn')}
        </label>
        <label className="check">
          <input type="radio" name="autopay" checked={shown === false} onChange={() => save.mutate(false)} />{' '}
          {t('autopayOff')}
        </label>
      </fieldset>
      {shown === undefined ? <p className="hint">{t('autopayUnknown')}</p> : null}
      {save.isPending ? <p role="status">{t('saving')}</p> : null}
      <FormMessage
        error={save.isError ? errorText(save.error) : undefined}
        success={
          save.isSuccess
            ? t('autopaySaved', { state: save.data.autopay ? t('stateOn') : t('stateOff') })
            : undefined
        }
      />
    </Card>
  );
}

function PaymentHistory({ account }: { account: Account }) {
  const t = useMessages(paymentsTexts);
  const f = useLocale();
  const invoices = useMyInvoices(account.id, 50);
  const numbers = new Map(
    (invoices.data?.pages.flatMap((page) => page.items) ?? []).map((i) => [
      i.id,
      i.number ?? i.id.slice(0, 8),
    ]),
  );
  const payments = useInfiniteQuery({
    queryKey: ['me', 'payments', account.id],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const page = await api<ApiPage<Payment>>(`/v1/me/payments${query({ limit: 25, cursor: pageParam })}`, {
        signal,
      });
      return { ...page, items: page.items.filter((p) => p.accountId === account.id) };
    },
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const items = payments.data?.pages.flatMap((page) => page.items) ?? [];
  const source = (payment: Payment) => {
    switch (payment.source) {
      case 'gateway':
        return t('sourceGateway');
      case 'bank_transfer':
        return t('sourceBank');
      case 'cash':
        return t('sourceCash');
      case 'cheque':
        return t('sourceCheque');
      default:
        return t('sourceOther');
    }
  };
  const purpose = (payment: Payment) => {
    const number =
      payment.invoiceId === null ? null : (numbers.get(payment.invoiceId) ?? payment.invoiceId.slice(0, 8));
    const text =
      payment.purpose === 'auto_recharge'
        ? t('purposeTopUp')
        : number === null
          ? t('purposePaymentNone')
          : payment.purpose === 'autopay'
            ? t('purposeAutopay', { number })
            : payment.purpose === 'dunning_retry'
              ? t('purposeRetry', { number })
              : t('purposePayment', { number });
    return payment.invoiceId === null ? (
      text
    ) : (
      <Link to={`/portal/invoices/${payment.invoiceId}`}>{text}</Link>
    );
  };
  const status = (payment: Payment) => {
    const [tone, label] =
      payment.status === 'succeeded'
        ? ['ok', t('statusSucceeded')]
        : payment.status === 'failed'
          ? ['bad', t('statusFailed')]
          : payment.status === 'requires_action'
            ? ['warn', t('statusAction')]
            : ['warn', t('statusPending')];
    return (
      <>
        <span className={`badge ${tone}`}>{label}</span>
        {payment.status === 'failed' ? <small className="hint"> {failureReason(t, payment)}</small> : null}
        {isPositive(payment.refunded) ? (
          <small className="hint">
            {' '}
            {t('refunded', { amount: money(f, payment.refunded, payment.currency) })}
          </small>
        ) : null}
      </>
    );
  };

  return (
    <Card title={t('history')}>
      {payments.isPending ? (
        <Loading />
      ) : payments.isError && items.length === 0 ? (
        isMissingRoute(payments.error) ? (
          <p className="state">{t('historyUnavailable')}</p>
        ) : (
          <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />
        )
      ) : items.length === 0 ? (
        <Empty>{t('noPayments')}</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data stack">
              <caption className="visually-hidden">{t('history')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('purpose')}</th>
                  <th scope="col">{t('method')}</th>
                  <th scope="col" className="num">
                    {t('amount')}
                  </th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((payment) => (
                  <tr key={payment.id}>
                    <td data-label={t('date')}>{dateTime(f, payment.receivedAt ?? payment.createdAt)}</td>
                    <td data-label={t('purpose')}>{purpose(payment)}</td>
                    <td data-label={t('method')}>{source(payment)}</td>
                    <td data-label={t('amount')} className="num">
                      {money(f, payment.amount, payment.currency)}
                    </td>
                    <td data-label={t('status')}>{status(payment)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {payments.isError ? (
            <ErrorState error={payments.error} onRetry={() => void payments.fetchNextPage()} />
          ) : null}
          {payments.hasNextPage ? (
            <p>
              <button
                type="button"
                className="button secondary"
                disabled={payments.isFetchingNextPage}
                onClick={() => void payments.fetchNextPage()}
              >
                {payments.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
