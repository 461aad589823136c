import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../api/client.js';
import { isLanguage } from '../i18n/locale.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { Field, FormMessage } from '../ui/field.js';
import { Page } from '../ui/page.js';
import { authTexts } from './auth-texts.js';
import { rememberedOperator, SESSION_KEY, type SessionInfo } from './session.js';

export function SignInPage() {
  const t = useMessages(authTexts);
  const { setLanguage } = useLocale();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [operator, setOperator] = useState(rememberedOperator);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<SessionInfo>('/v1/sessions', {
        body: { tenant: operator.trim(), email: email.trim(), password },
      });
      localStorage.setItem('tollgate.operator', operator.trim());
      // A customer's portal speaks the language of their profile from the first screen.
      const me = await api<SessionInfo & { customer?: { language: string | null } | null }>('/v1/me');
      const spoken = me.customer?.language?.slice(0, 2).toLowerCase();
      if (isLanguage(spoken)) setLanguage(spoken);
      client.setQueryData(SESSION_KEY, me);
      navigate(session.user.role === 'customer' ? '/portal' : '/console', { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.detail : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="auth-screen">
      <Page title={t('signInTitle')}>
        <form className="card form" onSubmit={submit} noValidate={false}>
          <Field
            label={t('operator')}
            hint={t('operatorHint')}
            name="operator"
            autoComplete="organization"
            required
            value={operator}
            onChange={(e) => setOperator(e.target.value)}
          />
          <Field
            label={t('email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label={t('password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FormMessage error={error} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
          <p>
            <Link to="/forgot-password">{t('forgot')}</Link>
          </p>
        </form>
      </Page>
    </main>
  );
}

export function ForgotPasswordPage() {
  const t = useMessages(authTexts);
  const [operator, setOperator] = useState(rememberedOperator);
  const [email, setEmail] = useState('');
  const [state, setState] = useState<{ busy: boolean; sent: boolean; error?: string }>({
    busy: false,
    sent: false,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, sent: false });
    try {
      await api('/v1/password-resets', { body: { tenant: operator.trim(), email: email.trim() } });
      setState({ busy: false, sent: true });
    } catch (caught) {
      setState({
        busy: false,
        sent: false,
        error: caught instanceof ApiError ? caught.detail : String(caught),
      });
    }
  }

  return (
    <main id="main" className="auth-screen">
      <Page title={t('forgotTitle')}>
        <form className="card form" onSubmit={submit}>
          <p>{t('forgotIntro')}</p>
          <Field
            label={t('operator')}
            name="operator"
            required
            value={operator}
            onChange={(e) => setOperator(e.target.value)}
          />
          <Field
            label={t('email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <FormMessage error={state.error} success={state.sent ? t('sent') : undefined} />
          <button type="submit" className="button primary" disabled={state.busy}>
            {t('send')}
          </button>
          <p>
            <Link to="/sign-in">{t('backToSignIn')}</Link>
          </p>
        </form>
      </Page>
    </main>
  );
}

export function ResetPasswordPage() {
  const t = useMessages(authTexts);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [state, setState] = useState<{ busy: boolean; done: boolean; error?: string }>({
    busy: false,
    done: false,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, done: false });
    try {
      await api('/v1/password-resets/complete', { body: { token, newPassword: password } });
      setState({ busy: false, done: true });
    } catch (caught) {
      const message =
        caught instanceof ApiError ? (caught.fieldMessage('newPassword') ?? caught.detail) : String(caught);
      setState({ busy: false, done: false, error: message });
    }
  }

  return (
    <main id="main" className="auth-screen">
      <Page title={t('resetTitle')}>
        {token === '' ? (
          <p className="state state-error" role="alert">
            {t('noToken')}
          </p>
        ) : (
          <form className="card form" onSubmit={submit}>
            <Field
              label={t('newPassword')}
              hint={t('newPasswordHint')}
              name="new-password"
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormMessage error={state.error} success={state.done ? t('resetDone') : undefined} />
            <button type="submit" className="button primary" disabled={state.busy || state.done}>
              {t('save')}
            </button>
          </form>
        )}
        <p>
          <Link to="/sign-in">{t('backToSignIn')}</Link>
        </p>
      </Page>
    </main>
  );
}
