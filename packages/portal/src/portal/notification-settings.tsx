import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.js';
import { useMessages } from '../i18n/messages.js';
import { Field, FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { errorText } from './portal-api.js';
import { settingsTexts } from './settings-texts.js';

type SettingsKey = keyof (typeof settingsTexts)['en'];

interface Preference {
  readonly event: string;
  readonly channel: string;
  readonly enabled: boolean;
  readonly default: boolean;
  readonly required: boolean;
}

interface Preferences {
  readonly customerId: string;
  readonly smsNumber: string | null;
  readonly preferences: readonly Preference[];
}

const CHANNELS: readonly { channel: string; label: SettingsKey }[] = [
  { channel: 'email', label: 'channelEmail' },
  { channel: 'sms', label: 'channelSms' },
  { channel: 'portal', label: 'channelPortal' },
];

const EVENT_NAMES: Readonly<Record<string, SettingsKey>> = {
  allowance_used: 'eventAllowanceUsed',
  cycle_spend: 'eventCycleSpend',
  balance_low: 'eventBalanceLow',
  credit_used: 'eventCreditUsed',
  roaming_first_use: 'eventRoaming',
  unusual_usage: 'eventUnusual',
  spending_cap_reached: 'eventCapReached',
  invoice_issued: 'eventInvoiceIssued',
  payment_due: 'eventPaymentDue',
  payment_succeeded: 'eventPaymentSucceeded',
  payment_failed: 'eventPaymentFailed',
  service_suspended: 'eventSuspended',
  service_restored: 'eventRestored',
  password_reset: 'eventPasswordReset',
};

const preferencesKey = (customerId: string) => ['customer', customerId, 'notification-preferences'] as const;

/**
 * Which events reach the customer by which channel. Required notices (a payment due, a
 * suspended service by email) show checked and locked, with the reason beside them.
 */
export function NotificationPreferencesCard({ customerId }: { customerId: string }) {
  const t = useMessages(settingsTexts);
  const preferences = useQuery({
    queryKey: preferencesKey(customerId),
    queryFn: ({ signal }) =>
      api<Preferences>(`/v1/customers/${customerId}/notification-preferences`, { signal }),
  });
  return (
    <Card title={t('notifications')}>
      <QueryView query={preferences}>
        {(data) => <PreferencesForm key={data.customerId} customerId={customerId} data={data} />}
      </QueryView>
    </Card>
  );
}

function PreferencesForm({ customerId, data }: { customerId: string; data: Preferences }) {
  const t = useMessages(settingsTexts);
  const client = useQueryClient();
  const reasonId = useId();
  const [choices, setChoices] = useState<ReadonlyMap<string, boolean>>(
    () => new Map(data.preferences.map((p) => [`${p.event}/${p.channel}`, p.enabled])),
  );
  const [smsNumber, setSmsNumber] = useState(data.smsNumber ?? '');
  const [smsInvalid, setSmsInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (body: {
      smsNumber: string | null;
      preferences: { event: string; channel: string; enabled: boolean }[];
    }) => api<Preferences>(`/v1/customers/${customerId}/notification-preferences`, { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(preferencesKey(customerId), saved),
  });
  const events = [...new Set(data.preferences.map((p) => p.event))];
  const find = (event: string, channel: string) =>
    data.preferences.find((p) => p.event === event && p.channel === channel);

  function submit(event: FormEvent) {
    event.preventDefault();
    const number = smsNumber.replace(/[\s()-]/g, '');
    if (number !== '' && !/^[+][1-9][0-9]{1,14}$/.test(number)) {
      setSmsInvalid(true);
      return;
    }
    setSmsInvalid(false);
    const changed = data.preferences
      .filter((p) => !p.required && choices.get(`${p.event}/${p.channel}`) !== p.enabled)
      .map((p) => ({
        event: p.event,
        channel: p.channel,
        enabled: choices.get(`${p.event}/${p.channel}`) ?? p.enabled,
      }));
    save.mutate({ smsNumber: number === '' ? null : number, preferences: changed });
  }

  return (
    <form className="form" onSubmit={submit}>
      <p className="figure-note">{t('notificationsIntro')}</p>
      <p id={reasonId} className="hint">
        <LockIcon />
        {t('requiredReason')}
      </p>
      <div className="table-wrap">
        <table className="data stack preferences">
          <caption className="visually-hidden">{t('notifications')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('event')}</th>
              {CHANNELS.map((c) => (
                <th key={c.channel} scope="col">
                  {t(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const eventName = EVENT_NAMES[event] === undefined ? event : t(EVENT_NAMES[event]);
              return (
                <tr key={event}>
                  <th scope="row">{eventName}</th>
                  {CHANNELS.map((c) => {
                    const preference = find(event, c.channel);
                    const key = `${event}/${c.channel}`;
                    return (
                      <td key={c.channel} data-label={t(c.label)}>
                        {preference === undefined ? (
                          <span className="hint">{t('notOffered')}</span>
                        ) : (
                          <label className="check">
                            <input
                              type="checkbox"
                              checked={preference.required ? true : (choices.get(key) ?? preference.enabled)}
                              disabled={preference.required}
                              aria-describedby={preference.required ? reasonId : undefined}
                              onChange={(e) => setChoices(new Map(choices).set(key, e.target.checked))}
                            />
                            <span className="visually-hidden">
                              {eventName}: {t(c.label)}
                            </span>
                            {preference.required ? (
                              <span className="badge neutral">
                                <LockIcon />
                                {t('required')}
                              </span>
                            ) : null}
                          </label>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Field
        label={t('smsNumber')}
        hint={t('smsNumberHint')}
        type="tel"
        autoComplete="tel"
        value={smsNumber}
        onChange={(e) => setSmsNumber(e.target.value)}
        error={smsInvalid ? t('smsInvalid') : undefined}
      />
      <FormMessage
        error={save.isError ? errorText(save.error) : undefined}
        success={save.isSuccess ? t('preferencesSaved') : undefined}
      />
      <div>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t('savingPreferences') : t('savePreferences')}
        </button>
      </div>
    </form>
  );
}

/** A padlock beside locked choices; the words beside it say the same, the icon only repeats it. */
function LockIcon() {
  return (
    <svg
      className="lock-icon"
      viewBox="0 0 16 16"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M5 7V5a3 3 0 0 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2Z"
      />
    </svg>
  );
}
