import { Navigate, NavLink, Outlet } from 'react-router';
import { hasRole, useSession } from '../auth/session.js';
import { SignOutButton } from '../portal/portal-shell.js';
import { ErrorState, Loading } from '../ui/query-view.js';
import { StaffContext } from './staff-context.js';

/**
 * The operator console's frame. Staff work in English; the console shows what each role may do
 * (support sees and notes, operators act, admins manage keys and users) and the server enforces it.
 */
export function ConsoleShell() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (session.data === null) return <Navigate to="/sign-in" replace />;
  const user = session.data.user;
  if (user.role === 'customer') return <Navigate to="/portal" replace />;
  return (
    <StaffContext.Provider value={user}>
      <div className="app console" lang="en">
        <a className="skip-link" href="#main">
          Skip to the content
        </a>
        <header className="topbar">
          <NavLink to="/console" className="brand">
            <span aria-hidden="true" className="brand-mark">
              T
            </span>{' '}
            Tollgate console
          </NavLink>
          <div className="topbar-tools">
            <span className="who">
              {user.email} · <span className="badge">{user.role}</span>
            </span>
            <SignOutButton label="Sign out" />
          </div>
        </header>
        <nav className="tabs" aria-label="Console">
          <NavLink to="/console" end>
            Customers
          </NavLink>
          <NavLink to="/console/catalog">Catalog</NavLink>
          <NavLink to="/console/suspense">Suspended records</NavLink>
          <NavLink to="/console/bill-runs">Bill runs</NavLink>
          <NavLink to="/console/dunning">Dunning</NavLink>
          <NavLink to="/console/reports">Reports</NavLink>
          {hasRole(user, 'support') ? <NavLink to="/console/fraud">Fraud</NavLink> : null}
          {hasRole(user, 'support') ? (
            <NavLink to="/console/opportunities">Plan opportunities</NavLink>
          ) : null}
          {hasRole(user, 'operator') ? <NavLink to="/console/what-if">What if</NavLink> : null}
          {hasRole(user, 'admin') ? <NavLink to="/console/admin">Keys and users</NavLink> : null}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </StaffContext.Provider>
  );
}
