import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.js';
import { date, money, num } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { fromMicros, toMicros } from '../ui/exact-decimal.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { today } from './account-days.js';
import { InvoiceStatusBadge, isPayable } from './invoice-status.js';
import { invoiceTexts } from './invoice-texts.js';
import type { InvoiceDetail, InvoiceLine } from './portal-api.js';
import { usePortal } from './portal-context.js';
import { useQuantities } from './quantity-format.js';

/** One invoice: its facts, lines, totals and taxes, the PDF and web versions, and paying it. */
export function InvoicePage() {
  const { id = '' } = useParams();
  const t = useMessages(invoiceTexts);
  const invoice = useQuery({
    queryKey: ['invoice', id],
    queryFn: ({ signal }) => api<InvoiceDetail>(`/v1/invoices/${encodeURIComponent(id)}`, { signal }),
  });
  if (invoice.data !== undefined) return <InvoiceView invoice={invoice.data} />;
  return (
    <Page title={t('title')}>
      <QueryView query={invoice}>{() => null}</QueryView>
    </Page>
  );
}

function InvoiceView({ invoice }: { invoice: InvoiceDetail }) {
  const t = useMessages(invoiceTexts);
  const f = useLocale();
  const navigate = useNavigate();
  const { account } = usePortal();
  const [showFrame, setShowFrame] = useState(false);
  const number = invoice.number ?? t('draftNumber');
  const title =
    invoice.kind === 'credit_note' ? t('creditNoteTitle', { number }) : t('invoiceTitle', { number });
  const todayIso = today(account.timeZone);
  const base = `/v1/invoices/${encodeURIComponent(invoice.id)}`;

  return (
    <Page
      title={title}
      actions={
        <>
          <a className="button secondary" href={`${base}/pdf`} download={`${number}.pdf`}>
            {t('downloadPdf')}
          </a>
          <a className="button secondary" href={`${base}/html`} target="_blank" rel="noopener">
            {t('viewHtml')}
          </a>
          {isPayable(invoice) ? (
            <button
              type="button"
              className="button primary"
              onClick={() => navigate(`/portal/payments?invoice=${encodeURIComponent(invoice.id)}`)}
            >
              {t('payNow')}
            </button>
          ) : null}
        </>
      }
    >
      <p>
        <Link to="/portal/invoices">← {t('back')}</Link>
      </p>
      <div className="grid">
        <Card>
          <dl className="facts">
            <dt>{t('status')}</dt>
            <dd>
              <InvoiceStatusBadge invoice={invoice} todayIso={todayIso} />
            </dd>
            {invoice.periodFrom !== null && invoice.periodTo !== null ? (
              <>
                <dt>{t('period')}</dt>
                <dd>
                  {t('periodRange', { from: date(f, invoice.periodFrom), to: date(f, invoice.periodTo) })}
                </dd>
              </>
            ) : null}
            {invoice.issuedOn !== null ? (
              <>
                <dt>{t('issued')}</dt>
                <dd>{date(f, invoice.issuedOn)}</dd>
              </>
            ) : null}
            {invoice.dueOn !== null ? (
              <>
                <dt>{t('due')}</dt>
                <dd>{date(f, invoice.dueOn)}</dd>
              </>
            ) : null}
            {invoice.reason !== null ? (
              <>
                <dt>{t('reason')}</dt>
                <dd>{invoice.reason}</dd>
              </>
            ) : null}
            {invoice.creditsInvoiceId !== null ? (
              <>
                <dt>{t('creditsInvoice')}</dt>
                <dd>
                  <Link to={`/portal/invoices/${invoice.creditsInvoiceId}`}>{t('view')}</Link>
                </dd>
              </>
            ) : null}
          </dl>
        </Card>
        <Card title={t('totals')}>
          <dl className="facts">
            <dt>{t('net')}</dt>
            <dd>{money(f, invoice.net, invoice.currency)}</dd>
            <dt>{t('tax')}</dt>
            <dd>{money(f, invoice.tax, invoice.currency)}</dd>
            <dt>{t('total')}</dt>
            <dd>
              <strong>{money(f, invoice.total, invoice.currency)}</strong>
            </dd>
            {toMicros(invoice.credited) !== 0n ? (
              <>
                <dt>{t('credited')}</dt>
                <dd>{money(f, invoice.credited, invoice.currency)}</dd>
              </>
            ) : null}
            <dt>{t('paid')}</dt>
            <dd>{money(f, invoice.paid, invoice.currency)}</dd>
            <dt>{t('amountDue')}</dt>
            <dd>
              <strong>{money(f, invoice.amountDue, invoice.currency)}</strong>
            </dd>
          </dl>
        </Card>
      </div>
      <Card title={t('lines')}>
        {invoice.lines.length === 0 ? (
          <p className="state">{t('noLines')}</p>
        ) : (
          <InvoiceLines invoice={invoice} />
        )}
      </Card>
      {invoice.taxSummary.length > 0 ? (
        <Card title={t('taxes')}>
          <ul className="plain-list">
            {invoice.taxSummary.map((tax) => (
              <li key={`${tax.code}-${tax.ratePercent}`}>
                {t('taxLine', { name: tax.name, rate: num(f, tax.ratePercent, 3) })}:{' '}
                {money(f, fromMicros(BigInt(tax.amountMicros)), invoice.currency)}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        {showFrame ? (
          <iframe className="invoice-frame" title={t('frameTitle', { number })} src={`${base}/html`} />
        ) : (
          <button type="button" className="button secondary" onClick={() => setShowFrame(true)}>
            {t('showHere')}
          </button>
        )}
      </Card>
    </Page>
  );
}

function InvoiceLines({ invoice }: { invoice: InvoiceDetail }) {
  const t = useMessages(invoiceTexts);
  const f = useLocale();
  const quantities = useQuantities();
  // Usage lines are labelled by the tariff's destination ("DE_MOBILE", "*any"): said with the service.
  const lineText = (line: InvoiceLine) => {
    if (line.service === null || (line.kind !== 'usage' && line.kind !== 'late_usage')) return line.label;
    const destination = line.label === '*any' ? '' : line.label.replace(/^DST_/, '').replace(/_/g, ' ');
    return destination === ''
      ? quantities.service(line.service)
      : `${quantities.service(line.service)} · ${destination}`;
  };
  const quantityOf = (line: InvoiceLine) =>
    line.quantity === null
      ? ''
      : line.unit === null
        ? num(f, line.quantity, 3)
        : quantities.usage(line.unit, line.quantity);
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">{t('lines')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('line')}</th>
            <th scope="col">{t('period')}</th>
            <th scope="col" className="num">
              {t('quantity')}
            </th>
            <th scope="col" className="num">
              {t('amount')}
            </th>
            <th scope="col" className="num">
              {t('tax')}
            </th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line) => (
            <tr key={line.position}>
              <td data-label={t('line')}>
                {lineText(line)}
                {line.kind === 'usage' && line.periodFrom !== null && line.periodTo !== null ? (
                  <>
                    {' '}
                    <Link
                      className="small-link"
                      to={`/portal/usage?from=${line.periodFrom}&to=${line.periodTo}${
                        line.subscriptionId === null ? '' : `&line=${line.subscriptionId}`
                      }`}
                    >
                      {t('seeUsage')}
                    </Link>
                  </>
                ) : null}
              </td>
              <td data-label={t('period')}>
                {line.periodFrom !== null && line.periodTo !== null
                  ? t('periodRange', { from: date(f, line.periodFrom), to: date(f, line.periodTo) })
                  : ''}
              </td>
              <td data-label={t('quantity')} className="num">
                {quantityOf(line)}
              </td>
              <td data-label={t('amount')} className="num">
                {money(f, line.amount, invoice.currency)}
              </td>
              <td data-label={t('tax')} className="num">
                {money(f, line.tax, invoice.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
