import { Link } from 'react-router';
import { date, money } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { Page } from '../ui/page.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { today } from './account-days.js';
import { InvoiceStatusBadge } from './invoice-status.js';
import { invoiceTexts } from './invoice-texts.js';
import { useMyInvoices } from './my-invoices.js';
import { isMissingRoute } from './portal-api.js';
import { usePortal } from './portal-context.js';

/** The account's invoices and credit notes, newest first, each linking to its page. */
export function InvoicesPage() {
  const t = useMessages(invoiceTexts);
  const f = useLocale();
  const { account } = usePortal();
  const invoices = useMyInvoices(account.id);
  const todayIso = today(account.timeZone);

  const items = invoices.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title={t('title')}>
      <p className="figure-note">{t('intro')}</p>
      {invoices.isPending ? (
        <Loading />
      ) : invoices.isError ? (
        isMissingRoute(invoices.error) ? (
          <Empty>{t('notAvailable')}</Empty>
        ) : (
          <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
        )
      ) : items.length === 0 ? (
        <Empty>{t('none')}</Empty>
      ) : (
        <div className="card">
          <div className="table-wrap">
            <table className="data stack">
              <caption className="visually-hidden">{t('title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('number')}</th>
                  <th scope="col">{t('period')}</th>
                  <th scope="col">{t('issued')}</th>
                  <th scope="col">{t('due')}</th>
                  <th scope="col" className="num">
                    {t('total')}
                  </th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col" className="num">
                    {t('amountDue')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((invoice) => (
                  <tr key={invoice.id}>
                    <td data-label={t('number')}>
                      <Link to={`/portal/invoices/${invoice.id}`}>
                        {invoice.kind === 'credit_note' ? `${t('creditNote')} ` : ''}
                        {invoice.number ?? t('draftNumber')}
                      </Link>
                    </td>
                    <td data-label={t('period')}>
                      {invoice.periodFrom !== null && invoice.periodTo !== null
                        ? t('periodRange', {
                            from: date(f, invoice.periodFrom),
                            to: date(f, invoice.periodTo),
                          })
                        : '—'}
                    </td>
                    <td data-label={t('issued')}>
                      {invoice.issuedOn === null ? '—' : date(f, invoice.issuedOn)}
                    </td>
                    <td data-label={t('due')}>{invoice.dueOn === null ? '—' : date(f, invoice.dueOn)}</td>
                    <td data-label={t('total')} className="num">
                      {money(f, invoice.total, invoice.currency)}
                    </td>
                    <td data-label={t('status')}>
                      <InvoiceStatusBadge invoice={invoice} todayIso={todayIso} />
                    </td>
                    <td data-label={t('amountDue')} className="num">
                      {money(f, invoice.amountDue, invoice.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {invoices.hasNextPage ? (
            <p>
              <button
                type="button"
                className="button secondary"
                disabled={invoices.isFetchingNextPage}
                onClick={() => void invoices.fetchNextPage()}
              >
                {invoices.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
              </button>
            </p>
          ) : null}
        </div>
      )}
    </Page>
  );
}
