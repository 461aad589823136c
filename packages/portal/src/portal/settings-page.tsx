import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { SESSION_KEY, type SessionInfo, useSession } from '../auth/session.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/locale.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, QueryView } from '../ui/query-view.js';
import { NotificationPreferencesCard } from './notification-settings.js';
import { errorText } from './portal-api.js';
import { useAccountLines, usePortal } from './portal-context.js';
import { settingsTexts } from './settings-texts.js';
import { SpendingCapCard } from './spending-caps.js';

/**
 * The customer's settings: a spending cap per line (the account holder sets every line's),
 * which notices come by which channel, quiet hours, and the language. Autopay is on the payments
 * page, beside the cards it charges.
 */
export function SettingsPage() {
  const t = useMessages(settingsTexts);
  const { account, customerId } = usePortal();
  const lines = useAccountLines().filter((line) => line.status !== 'terminated');
  return (
    <Page title={t('title')}>
      <section aria-labelledby="settings-caps">
        <h2 id="settings-caps" className="section-title">
          {t('caps')}
        </h2>
        <p className="figure-note">{t('capsIntro')}</p>
        {lines.length === 0 ? (
          <Empty>{t('noLines')}</Empty>
        ) : (
          <div className="grid">
            {lines.map((line) => (
              <SpendingCapCard key={line.id} account={account} line={line} />
            ))}
          </div>
        )}
      </section>
      <NotificationPreferencesCard customerId={customerId} />
      <div className="grid">
        <QuietHoursCard customerId={customerId} />
        <LanguageCard />
      </div>
    </Page>
  );
}

/** Quiet hours: the ones set (a usual night, 22:00 to 07:00, when none are), changed by the customer. */
function QuietHoursCard({ customerId }: { customerId: string }) {
  const current = useQuery({
    queryKey: ['customer', customerId, 'quiet-hours'],
    queryFn: () =>
      api<{ quietHours: { start: string; end: string } | null }>(`/v1/customers/${customerId}/quiet-hours`),
  });
  return (
    <QueryView query={current}>
      {(data) => <QuietHoursForm customerId={customerId} initial={data.quietHours} />}
    </QueryView>
  );
}

function QuietHoursForm({
  customerId,
  initial,
}: {
  customerId: string;
  initial: { start: string; end: string } | null;
}) {
  const t = useMessages(settingsTexts);
  const [from, setFrom] = useState(initial?.start ?? '22:00');
  const [to, setTo] = useState(initial?.end ?? '07:00');
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (body: { start: string; end: string } | null) =>
      api<{ quietHours: { start: string; end: string } | null }>(`/v1/customers/${customerId}/quiet-hours`, {
        method: 'PUT',
        body,
      }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^\d{2}:\d{2}$/.test(from) || !/^\d{2}:\d{2}$/.test(to) || from === to) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    save.mutate({ start: from, end: to });
  }

  const saved = save.data?.quietHours;
  return (
    <Card title={t('quietHours')}>
      <form className="form" onSubmit={submit}>
        <p className="figure-note">{t('quietIntro')}</p>
        <div className="form-row">
          <Field
            label={t('quietFrom')}
            type="time"
            required
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <Field
            label={t('quietTo')}
            type="time"
            required
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <FormMessage
          error={invalid ? t('quietInvalid') : save.isError ? errorText(save.error) : undefined}
          success={
            save.isSuccess
              ? saved == null
                ? t('quietCleared')
                : t('quietSaved', { from: saved.start, to: saved.end })
              : undefined
          }
        />
        <div className="form-row">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? t('saving') : t('saveQuiet')}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={save.isPending}
            onClick={() => {
              setInvalid(false);
              save.mutate(null);
            }}
          >
            {t('clearQuiet')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/**
 * The language: the portal switches at once (useLocale), and the customer's profile follows so
 * invoices and messages come in it too (PATCH /v1/me). When the profile cannot be updated, the
 * portal keeps the choice on this device and says so.
 */
function LanguageCard() {
  const t = useMessages(settingsTexts);
  const { language, setLanguage } = useLocale();
  const client = useQueryClient();
  const session = useSession();
  const save = useMutation({
    mutationFn: (next: Language) => api<SessionInfo>('/v1/me', { method: 'PATCH', body: { language: next } }),
    // The answer is the signed-in user again, now with the new language: the session shows it.
    onSuccess: (me) => client.setQueryData(SESSION_KEY, me),
  });
  const customer = (
    session.data as (SessionInfo & { customer?: { language?: string } | null }) | null | undefined
  )?.customer;
  const profileLanguage = customer?.language?.slice(0, 2);
  return (
    <Card title={t('language')}>
      <p className="figure-note">{t('languageIntro')}</p>
      <SelectField
        label={t('languageLabel')}
        value={language}
        onChange={(e) => {
          if (!isLanguage(e.target.value)) return;
          setLanguage(e.target.value);
          save.mutate(e.target.value);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </SelectField>
      {save.isPending ? <p role="status">{t('saving')}</p> : null}
      <FormMessage
        success={save.isSuccess ? t('languageSaved', { language: LANGUAGE_NAMES[language] }) : undefined}
      />
      {save.isError ? (
        <p className="alert-warn" role="status">
          {t('languageLocal', { language: LANGUAGE_NAMES[language] })}
        </p>
      ) : null}
      {profileLanguage !== undefined &&
      isLanguage(profileLanguage) &&
      profileLanguage !== language &&
      save.isIdle ? (
        <p className="hint">{t('profileLanguage', { language: LANGUAGE_NAMES[profileLanguage] })}</p>
      ) : null}
    </Card>
  );
}
