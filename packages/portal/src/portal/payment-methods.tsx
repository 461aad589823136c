import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { type Translate, useMessages } from '../i18n/messages.js';
import { Dialog } from '../ui/dialog.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { certainlyRefused, useAttemptKey } from './attempt-key.js';
import { paymentsTexts } from './payments-texts.js';
import { errorText, type PaymentMethod } from './portal-api.js';

type PaymentsKey = keyof (typeof paymentsTexts)['en'];

export const methodsKey = (accountId: string) => ['account', accountId, 'payment-methods'] as const;

export function usePaymentMethods(accountId: string) {
  return useQuery({
    queryKey: methodsKey(accountId),
    queryFn: ({ signal }) =>
      api<{ items: PaymentMethod[] }>(`/v1/accounts/${accountId}/payment-methods`, { signal }),
  });
}

/** A saved card in words: "Visa ending 4242, expires 12/2034". */
export function useCardName(): (method: PaymentMethod) => string {
  const t = useMessages(paymentsTexts);
  return (method) => {
    const brand = method.brand === null ? method.kind : capitalise(method.brand);
    if (method.last4 === null || method.expMonth === null || method.expYear === null)
      return t('cardOptionShort', { brand });
    return t('cardOption', {
      brand,
      last4: method.last4,
      month: String(method.expMonth).padStart(2, '0'),
      year: String(method.expYear),
    });
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The sandbox gateway's test tokens (docs/payment-gateways.md), each with the card it stands for
 * and what charging it does.
 */
const SANDBOX_CARDS: readonly { token: string; label: PaymentsKey }[] = [
  { token: 'tok_sandbox_success', label: 'cardSuccess' },
  { token: 'tok_sandbox_decline', label: 'cardDecline' },
  { token: 'tok_sandbox_insufficient_funds', label: 'cardFunds' },
  { token: 'tok_sandbox_authentication_required', label: 'cardAuth' },
  { token: 'tok_sandbox_network_error', label: 'cardNetwork' },
];

/** The account's saved cards, removing one (after a confirmation), and adding a test card. */
export function PaymentMethodsCard({ accountId }: { accountId: string }) {
  const t = useMessages(paymentsTexts);
  const client = useQueryClient();
  const methods = usePaymentMethods(accountId);
  const cardName = useCardName();
  const [removing, setRemoving] = useState<PaymentMethod | null>(null);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const remove = useMutation({
    mutationFn: (method: PaymentMethod) =>
      api<PaymentMethod>(`/v1/accounts/${accountId}/payment-methods/${method.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setRemoving(null);
      setNotice(t('removed'));
      await client.invalidateQueries({ queryKey: methodsKey(accountId) });
    },
  });

  return (
    <Card title={t('methods')}>
      {methods.isPending ? (
        <Loading />
      ) : methods.isError ? (
        <ErrorState error={methods.error} onRetry={() => void methods.refetch()} />
      ) : methods.data.items.length === 0 ? (
        <Empty>{t('noMethods')}</Empty>
      ) : (
        <ul className="method-list">
          {methods.data.items.map((method) => (
            <li key={method.id} className="method-item">
              <span>
                {cardName(method)}{' '}
                {method.isDefault ? <span className="badge ok">{t('isDefault')}</span> : null}
              </span>
              <button
                type="button"
                className="button secondary"
                aria-label={t('removeCard', { card: cardName(method) })}
                onClick={() => {
                  remove.reset();
                  setRemoving(method);
                }}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormMessage success={notice} />
      <Dialog
        open={removing !== null}
        title={t('removeTitle')}
        closeLabel={t('close')}
        onClose={() => setRemoving(null)}
      >
        {removing === null ? null : (
          <div className="form">
            <p>{t('removeText', { card: cardName(removing) })}</p>
            <FormMessage error={remove.isError ? errorText(remove.error) : undefined} />
            <div className="form-row">
              <button
                type="button"
                className="button danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(removing)}
              >
                {remove.isPending ? t('removing') : t('removeConfirm')}
              </button>
              <button type="button" className="button secondary" onClick={() => setRemoving(null)}>
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
      </Dialog>
      <AddCardForm accountId={accountId} onAdded={() => setNotice(undefined)} />
    </Card>
  );
}

/**
 * Adding a card. The demo's gateway is the sandbox, whose test cards are chosen from a list
 * rather than typed. With Stripe, the page would load Stripe.js and take the token from Stripe
 * Elements (card data goes from the browser to Stripe only, never to Tollgate), then post that
 * token here the same way; Stripe.js is not loaded by this app.
 */
function AddCardForm({ accountId, onAdded }: { accountId: string; onAdded: () => void }) {
  const t = useMessages(paymentsTexts);
  const client = useQueryClient();
  const [token, setToken] = useState(SANDBOX_CARDS[0]?.token ?? 'tok_sandbox_success');
  const [makeDefault, setMakeDefault] = useState(true);
  const attempt = useAttemptKey();
  const add = useMutation({
    mutationFn: (body: { gateway: string; token: string; makeDefault: boolean }) =>
      api<PaymentMethod>(`/v1/accounts/${accountId}/payment-methods`, {
        body,
        idempotencyKey: attempt.keyFor(body),
      }),
    onError: (error) => {
      if (certainlyRefused(error)) attempt.settle();
    },
    onSuccess: async () => {
      attempt.settle();
      onAdded();
      await client.invalidateQueries({ queryKey: methodsKey(accountId) });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ gateway: 'sandbox', token, makeDefault });
  }

  return (
    <form className="form add-card" onSubmit={submit}>
      <h3>{t('addCardTitle')}</h3>
      <fieldset className="choice-group">
        <legend>{t('sandboxLegend')}</legend>
        <p className="hint">{t('sandboxNote')}</p>
        {SANDBOX_CARDS.map((card) => (
          <label key={card.token} className="check">
            <input
              type="radio"
              name="sandbox-card"
              value={card.token}
              checked={token === card.token}
              onChange={() => setToken(card.token)}
            />{' '}
            {t(card.label)}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} />{' '}
        {t('makeDefault')}
      </label>
      <FormMessage
        error={add.isError ? errorText(add.error) : undefined}
        success={add.isSuccess ? t('cardAdded') : undefined}
      />
      <div>
        <button type="submit" className="button primary" disabled={add.isPending}>
          {add.isPending ? t('adding') : t('addCard')}
        </button>
      </div>
    </form>
  );
}

export type { PaymentsKey };
export type PaymentsTranslate = Translate<PaymentsKey>;
