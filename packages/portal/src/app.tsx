import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { useSession } from './auth/session.js';
import { ForgotPasswordPage, ResetPasswordPage, SignInPage } from './auth/sign-in-page.js';
import { ConsoleShell } from './console/console-shell.js';
import { browserLanguage, isLanguage, type Language } from './i18n/locale.js';
import { LocaleContext, type LocaleState } from './i18n/messages.js';
import { PortalShell } from './portal/portal-shell.js';
import { ErrorState, Loading } from './ui/query-view.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: false },
  },
});

/** The first screen: where the signed-in user belongs, or sign-in. */
function Home() {
  const session = useSession();
  const { search } = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  // The query (?operator=...) goes along, so a link from the operator fills in the sign-in form.
  if (session.data === null) return <Navigate to={{ pathname: '/sign-in', search }} replace />;
  return <Navigate to={session.data.user.role === 'customer' ? '/portal' : '/console'} replace />;
}

// Screens load on first visit, so the first page ships only the shell and the sign-in form.
const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    path: '/portal',
    element: <PortalShell />,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import('./portal/dashboard-page.js')).DashboardPage }),
      },
      {
        path: 'usage',
        lazy: async () => ({ Component: (await import('./portal/usage-page.js')).UsagePage }),
      },
      {
        path: 'usage/:id',
        lazy: async () => ({ Component: (await import('./portal/charge-page.js')).ChargePage }),
      },
      {
        path: 'invoices',
        lazy: async () => ({ Component: (await import('./portal/invoices-page.js')).InvoicesPage }),
      },
      {
        path: 'invoices/:id',
        lazy: async () => ({ Component: (await import('./portal/invoice-page.js')).InvoicePage }),
      },
      {
        path: 'payments',
        lazy: async () => ({ Component: (await import('./portal/payments-page.js')).PaymentsPage }),
      },
      { path: 'plan', lazy: async () => ({ Component: (await import('./portal/plan-page.js')).PlanPage }) },
      {
        path: 'settings',
        lazy: async () => ({ Component: (await import('./portal/settings-page.js')).SettingsPage }),
      },
    ],
  },
  {
    path: '/console',
    element: <ConsoleShell />,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import('./console/search-page.js')).SearchPage }),
      },
      {
        path: 'customers/:id',
        lazy: async () => ({ Component: (await import('./console/customer-page.js')).CustomerPage }),
      },
      {
        path: 'catalog',
        lazy: async () => ({ Component: (await import('./console/catalog-page.js')).CatalogPage }),
      },
      {
        path: 'suspense',
        lazy: async () => ({ Component: (await import('./console/suspense-page.js')).SuspensePage }),
      },
      {
        path: 'bill-runs',
        lazy: async () => ({ Component: (await import('./console/bill-runs-page.js')).BillRunsPage }),
      },
      {
        path: 'dunning',
        lazy: async () => ({ Component: (await import('./console/dunning-page.js')).DunningPage }),
      },
      {
        path: 'admin',
        lazy: async () => ({ Component: (await import('./console/admin-page.js')).AdminPage }),
      },
      {
        path: 'reports',
        lazy: async () => ({ Component: (await import('./console/reports-page.js')).ReportsPage }),
      },
      {
        path: 'fraud',
        lazy: async () => ({ Component: (await import('./console/fraud-page.js')).FraudPage }),
      },
      {
        path: 'opportunities',
        lazy: async () => ({
          Component: (await import('./console/opportunities-page.js')).OpportunitiesPage,
        }),
      },
      {
        path: 'what-if',
        lazy: async () => ({ Component: (await import('./console/what-if-page.js')).WhatIfPage }),
      },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);

function initialLanguage(): Language {
  const stored = localStorage.getItem('tollgate.language');
  return isLanguage(stored) ? stored : browserLanguage();
}

/** The locale for formats: the browser's when it speaks the chosen language, else the language itself. */
function localeFor(language: Language): string {
  const browser = navigator.language;
  return browser.slice(0, 2).toLowerCase() === language ? browser : language;
}

export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const locale = useMemo<LocaleState>(
    () => ({
      language,
      locale: localeFor(language),
      timeZone: undefined,
      setLanguage: (next) => {
        localStorage.setItem('tollgate.language', next);
        document.documentElement.lang = next;
        setLanguageState(next);
      },
    }),
    [language],
  );
  document.documentElement.lang = language;
  return (
    <LocaleContext.Provider value={locale}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </LocaleContext.Provider>
  );
}
