import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { date, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { FormMessage, SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Account, Invoice } from './console-types.js';
import { CreditNoteDialog } from './credit-note-dialog.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge } from './status-badge.js';

const INVOICE_PAGE_SIZE = 20;

/** What an invoice can be credited: a finalised or paid invoice (not a draft, a void, a credit note). */
function creditable(invoice: Invoice): boolean {
  return invoice.kind === 'invoice' && (invoice.status === 'finalized' || invoice.status === 'paid');
}

/** The account's invoices and credit notes, newest first; operators credit invoices from here. */
export function CustomerInvoices({ account, customerId }: { account: Account; customerId: string }) {
  const f = useLocale();
  // Credit notes are an operator's action (the API refuses them to support and read-only staff).
  const canCredit = useCan('operator');
  const pages = useCursorPages();
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const invoices = useQuery({
    queryKey: [...keys.invoices(account.id), status, kind, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<Invoice>>(
        `/v1/invoices${query({
          accountId: account.id,
          status,
          kind,
          order: 'desc',
          limit: INVOICE_PAGE_SIZE,
          cursor: pages.cursor,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Invoices">
      <div className="form-row filters">
        <SelectField
          label="Status"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value);
            pages.reset();
          }}
        >
          <option value="">Any status</option>
          <option value="draft">Draft</option>
          <option value="finalized">Finalized</option>
          <option value="paid">Paid</option>
          <option value="void">Void</option>
          <option value="uncollectible">Uncollectible</option>
        </SelectField>
        <SelectField
          label="Kind"
          value={kind}
          onChange={(event) => {
            setKind(event.target.value);
            pages.reset();
          }}
        >
          <option value="">Invoices and credit notes</option>
          <option value="invoice">Invoices</option>
          <option value="credit_note">Credit notes</option>
        </SelectField>
      </div>
      <FormMessage success={notice} />
      <QueryView query={invoices} isEmpty={(page) => page.items.length === 0} empty="No invoices.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Status</th>
                    <th scope="col">Period</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Due</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col" className="num">
                      Still due
                    </th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((invoice) => {
                    const name = invoice.number ?? 'Draft';
                    return (
                      <tr key={invoice.id}>
                        <td data-label="Number">
                          {name}
                          {invoice.kind === 'credit_note' ? (
                            <span className="badge neutral">credit note</span>
                          ) : null}
                          {invoice.reason === null ? null : (
                            <span className="hint cell-note">{invoice.reason}</span>
                          )}
                        </td>
                        <td data-label="Status">
                          <StatusBadge status={invoice.status} />
                        </td>
                        <td data-label="Period">
                          {invoice.periodFrom === null || invoice.periodTo === null
                            ? '—'
                            : `${date(f, invoice.periodFrom)} – ${date(f, invoice.periodTo)}`}
                        </td>
                        <td data-label="Issued">
                          {invoice.issuedOn === null ? '—' : date(f, invoice.issuedOn)}
                        </td>
                        <td data-label="Due">{invoice.dueOn === null ? '—' : date(f, invoice.dueOn)}</td>
                        <td data-label="Total" className="num">
                          {money(f, invoice.total, invoice.currency)}
                        </td>
                        <td data-label="Still due" className="num">
                          {money(f, invoice.amountDue, invoice.currency)}
                        </td>
                        <td data-label="Actions">
                          <div className="actions">
                            <a href={`/v1/invoices/${invoice.id}/html`} target="_blank" rel="noopener">
                              View<span className="visually-hidden"> {name}</span>
                            </a>
                            <a href={`/v1/invoices/${invoice.id}/pdf`} target="_blank" rel="noopener">
                              PDF<span className="visually-hidden"> of {name}</span>
                            </a>
                            {canCredit && creditable(invoice) ? (
                              <CreditNoteDialog
                                invoice={invoice}
                                customerId={customerId}
                                onDone={setNotice}
                              />
                            ) : null}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Invoice pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
