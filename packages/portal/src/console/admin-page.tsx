import { Page } from '../ui/page.js';
import { ApiKeysCard } from './api-keys-card.js';
import { useCan } from './staff-context.js';
import { UsersCard } from './users-card.js';

/** For admins: the API keys systems use and the users who sign in (staff and customers). */
export function AdminPage() {
  const isAdmin = useCan('admin');
  return (
    <Page title="Keys and users">
      {isAdmin ? (
        <>
          <ApiKeysCard />
          <UsersCard />
        </>
      ) : (
        <p className="state">Only admins manage API keys and users.</p>
      )}
    </Page>
  );
}
