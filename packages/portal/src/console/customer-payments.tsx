import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Account, Payment } from './console-types.js';
import { keys } from './query-keys.js';
import { StatusBadge, statusText } from './status-badge.js';

const PAYMENT_PAGE_SIZE = 20;

/** The account's payments, newest first, with what was refunded, charged back or left as credit. */
export function CustomerPayments({ account }: { account: Account }) {
  const f = useLocale();
  const pages = useCursorPages();
  const [status, setStatus] = useState('');
  const payments = useQuery({
    queryKey: [...keys.payments(account.id), status, pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<Payment>>(
        `/v1/payments${query({
          accountId: account.id,
          status,
          order: 'desc',
          limit: PAYMENT_PAGE_SIZE,
          cursor: pages.cursor,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Payments">
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
          <option value="succeeded">Succeeded</option>
          <option value="pending">Pending</option>
          <option value="requires_action">Requires action</option>
          <option value="failed">Failed</option>
        </SelectField>
      </div>
      <QueryView query={payments} isEmpty={(page) => page.items.length === 0} empty="No payments.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Source</th>
                    <th scope="col">Reference</th>
                    <th scope="col" className="num">
                      Refunded
                    </th>
                    <th scope="col" className="num">
                      Left as credit
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((payment) => (
                    <tr key={payment.id}>
                      <td data-label="When">{dateTime(f, payment.receivedAt ?? payment.createdAt)}</td>
                      <td data-label="Amount" className="num">
                        {money(f, payment.amount, payment.currency)}
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={payment.status} />
                        {payment.failureMessage === null ? null : (
                          <span className="hint cell-note">{payment.failureMessage}</span>
                        )}
                      </td>
                      <td data-label="Source">
                        {statusText(payment.source)} · {statusText(payment.purpose)}
                      </td>
                      <td data-label="Reference">{payment.reference ?? '—'}</td>
                      <td data-label="Refunded" className="num">
                        {money(f, payment.refunded, payment.currency)}
                      </td>
                      <td data-label="Left as credit" className="num">
                        {money(f, payment.unallocated, payment.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Payment pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
