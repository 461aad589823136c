import { useMemo, useState } from 'react';
import { Link, Navigate, NavLink, Outlet, useNavigate } from 'react-router';
import { useSession, useSignOut } from '../auth/session.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/locale.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { ErrorState, Loading } from '../ui/query-view.js';
import { PortalContext, type PortalState, useMyAccounts } from './portal-context.js';
import { shellTexts } from './portal-texts.js';

/** The customer portal's frame: header with account and language, navigation, and the screen. */
export function PortalShell() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (session.data === null) return <Navigate to="/sign-in" replace />;
  const customerId = session.data.user.customerId;
  if (customerId === null) return <StaffInPortal />;
  return <SignedInPortal customerId={customerId} email={session.data.user.email} />;
}

function StaffInPortal() {
  const t = useMessages(shellTexts);
  return (
    <main id="main" className="auth-screen">
      <p className="state">{t('staffOnly')}</p>
      <Link className="button primary" to="/console">
        {t('toConsole')}
      </Link>
    </main>
  );
}

function SignedInPortal({ customerId, email }: { customerId: string; email: string }) {
  const t = useMessages(shellTexts);
  const mine = useMyAccounts();
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem('tollgate.account'));
  const state = useMemo<PortalState | null>(() => {
    if (mine.data === undefined) return null;
    const account = mine.data.accounts.find((a) => a.id === chosen) ?? mine.data.accounts[0];
    if (account === undefined) return null;
    return {
      customerId,
      accounts: mine.data.accounts,
      lines: mine.data.lines,
      account,
      selectAccount: (id) => {
        sessionStorage.setItem('tollgate.account', id);
        setChosen(id);
      },
    };
  }, [mine.data, chosen, customerId]);

  return (
    <div className="app portal">
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="topbar">
        <Link to="/portal" className="brand">
          <span aria-hidden="true" className="brand-mark">
            T
          </span>{' '}
          {t('portal')}
        </Link>
        <div className="topbar-tools">
          {state !== null && state.accounts.length > 1 ? (
            <label className="inline-field">
              <span>{t('account')}</span>
              <select value={state.account.id} onChange={(e) => state.selectAccount(e.target.value)}>
                {state.accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.accountNumber}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <LanguageSelect />
          <SignOutButton label={`${t('signOut')}`} title={email} />
        </div>
      </header>
      <nav className="tabs" aria-label={t('portal')}>
        <NavLink to="/portal" end>
          {t('overview')}
        </NavLink>
        <NavLink to="/portal/usage">{t('usage')}</NavLink>
        <NavLink to="/portal/invoices">{t('invoices')}</NavLink>
        <NavLink to="/portal/payments">{t('payments')}</NavLink>
        <NavLink to="/portal/plan">{t('plan')}</NavLink>
        <NavLink to="/portal/settings">{t('settings')}</NavLink>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {mine.isPending ? (
          <Loading />
        ) : mine.isError ? (
          <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />
        ) : state === null ? (
          <p className="state">{t('noAccounts')}</p>
        ) : (
          <PortalContext.Provider value={state}>
            <Outlet />
          </PortalContext.Provider>
        )}
      </main>
    </div>
  );
}

export function LanguageSelect() {
  const t = useMessages(shellTexts);
  const { language, setLanguage } = useLocale();
  return (
    <label className="inline-field">
      <span>{t('language')}</span>
      <select
        value={language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SignOutButton({ label, title }: { label: string; title?: string }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="button secondary"
      title={title}
      onClick={async () => {
        await signOut();
        navigate('/sign-in', { replace: true });
      }}
    >
      {label}
    </button>
  );
}
