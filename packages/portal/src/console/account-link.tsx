import { Link } from 'react-router';

/**
 * A link to the customer page of an account known only by its id (bill runs, aging): the console's
 * home resolves the account to its customer on arrival, so a long list costs no request per row.
 */
export function AccountLink({ accountId, label }: { accountId: string; label?: string }) {
  return (
    <Link to={`/console?account=${encodeURIComponent(accountId)}`}>{label ?? accountId.slice(0, 8)}</Link>
  );
}
