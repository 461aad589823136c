import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.js';
import { type Account, lineLabel, type Subscription } from '../api/types.js';
import { dateTime, money } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { amountInput, isAmountText, isPositive } from '../ui/exact-decimal.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { ProgressBar } from '../ui/progress-bar.js';
import { ErrorState, Loading } from '../ui/query-view.js';
import { errorText, isNotFound, type SpendingCap } from './portal-api.js';
import { settingsTexts } from './settings-texts.js';

const capKey = (subscriptionId: string) => ['subscription', subscriptionId, 'spending-cap'] as const;

/** A line's cap, or null when it has none (the API answers 404 for a line without a cap). */
function useSpendingCap(subscriptionId: string) {
  return useQuery({
    queryKey: capKey(subscriptionId),
    queryFn: async ({ signal }) => {
      try {
        return await api<SpendingCap>(`/v1/subscriptions/${subscriptionId}/spending-cap`, { signal });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
  });
}

/** The cap of one line of the account: what it has spent against it, and the form to change it. */
export function SpendingCapCard({ account, line }: { account: Account; line: Subscription }) {
  const t = useMessages(settingsTexts);
  const cap = useSpendingCap(line.id);
  const headingId = useId();
  const [notice, setNotice] = useState<'capSaved' | 'capRemoved' | undefined>(undefined);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        {t('line', { line: lineLabel(line) })}
      </h3>
      {cap.isPending ? (
        <Loading />
      ) : cap.isError ? (
        <ErrorState error={cap.error} onRetry={() => void cap.refetch()} />
      ) : (
        <>
          <CapStatus account={account} cap={cap.data} />
          <CapForm
            key={cap.data === null ? 'none' : 'cap'}
            account={account}
            line={line}
            cap={cap.data}
            onNotice={setNotice}
          />
          <FormMessage success={notice === undefined ? undefined : t(notice)} />
        </>
      )}
    </section>
  );
}

function CapStatus({ account, cap }: { account: Account; cap: SpendingCap | null }) {
  const t = useMessages(settingsTexts);
  const f = useLocale();
  if (cap === null) return <p className="figure-note">{t('capNone')}</p>;
  const spent = money(f, cap.spent, account.currency);
  const limit = money(f, cap.limit, account.currency);
  return (
    <>
      <ProgressBar
        label={t('capSpent')}
        value={Number(cap.spent)}
        max={Number(cap.limit)}
        text={t('capSpentText', { spent, limit })}
      />
      <p className="figure-note">
        {t('capRemaining', {
          remaining: money(f, cap.remaining, account.currency),
          start: dateTime({ ...f, timeZone: account.timeZone }, cap.periodStart),
        })}
      </p>
    </>
  );
}

function CapForm({
  account,
  line,
  cap,
  onNotice,
}: {
  account: Account;
  line: Subscription;
  cap: SpendingCap | null;
  onNotice: (notice: 'capSaved' | 'capRemoved' | undefined) => void;
}) {
  const t = useMessages(settingsTexts);
  const client = useQueryClient();
  const [limit, setLimit] = useState(cap?.limit ?? '');
  const [period, setPeriod] = useState<'day' | 'month'>(cap?.period ?? 'month');
  const [whenReached, setWhenReached] = useState<'refuse' | 'essential_only'>(cap?.whenReached ?? 'refuse');
  const [numbers, setNumbers] = useState((cap?.allowedDestinations ?? []).join(', '));
  const [invalid, setInvalid] = useState<'limit' | 'numbers' | null>(null);
  const setNotice = onNotice;
  const refresh = () => client.invalidateQueries({ queryKey: capKey(line.id) });
  const save = useMutation({
    mutationFn: (body: {
      limit: string;
      period: string;
      whenReached: string;
      allowedDestinations: string[];
    }) => api<SpendingCap>(`/v1/subscriptions/${line.id}/spending-cap`, { method: 'PUT', body }),
    onSuccess: async () => {
      setNotice('capSaved');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/v1/subscriptions/${line.id}/spending-cap`, { method: 'DELETE' }),
    onSuccess: async () => {
      setNotice('capRemoved');
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(undefined);
    remove.reset();
    const amount = amountInput(limit);
    if (!isAmountText(amount) || !isPositive(amount)) {
      setInvalid('limit');
      return;
    }
    const allowed = numbers
      .split(/[,;\s]+/)
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (allowed.some((n) => !/^[+]?[0-9]{1,20}$/.test(n))) {
      setInvalid('numbers');
      return;
    }
    setInvalid(null);
    save.mutate({
      limit: amount,
      period,
      whenReached,
      allowedDestinations: whenReached === 'essential_only' ? [...new Set(allowed)] : [],
    });
  }

  const failure = save.isError ? save.error : remove.isError ? remove.error : null;
  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <Field
          label={t('spendingCap')}
          hint={t('capHint', { currency: account.currency })}
          inputMode="decimal"
          autoComplete="off"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          error={invalid === 'limit' ? t('capInvalid') : undefined}
        />
        <SelectField
          label={t('period')}
          value={period}
          onChange={(e) => setPeriod(e.target.value === 'day' ? 'day' : 'month')}
        >
          <option value="month">{t('perMonth')}</option>
          <option value="day">{t('perDay')}</option>
        </SelectField>
      </div>
      <SelectField
        label={t('whenReached')}
        value={whenReached}
        onChange={(e) => setWhenReached(e.target.value === 'essential_only' ? 'essential_only' : 'refuse')}
      >
        <option value="refuse">{t('refuse')}</option>
        <option value="essential_only">{t('essentialOnly')}</option>
      </SelectField>
      {whenReached === 'essential_only' ? (
        <Field
          label={t('allowedNumbers')}
          hint={t('allowedHint')}
          inputMode="tel"
          value={numbers}
          onChange={(e) => setNumbers(e.target.value)}
          error={invalid === 'numbers' ? t('numbersInvalid') : undefined}
        />
      ) : null}
      <FormMessage error={failure === null ? undefined : errorText(failure)} />
      <div className="form-row">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t('savingCap') : t('saveCap')}
        </button>
        {cap === null ? null : (
          <button
            type="button"
            className="button secondary"
            disabled={remove.isPending}
            onClick={() => {
              setNotice(undefined);
              save.reset();
              remove.mutate();
            }}
          >
            {remove.isPending ? t('removingCap') : t('removeCap')}
          </button>
        )}
      </div>
    </form>
  );
}
