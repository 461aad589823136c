import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Page as ApiPage, api, query } from '../api/client.js';
import type { FraudCase, FraudCaseStatus, FraudRule } from '../api/types.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { DialogButton } from '../ui/dialog.js';
import { FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { Tabs } from '../ui/tabs.js';
import { FraudCaseView } from './fraud-case-view.js';
import { FraudRuleForm } from './fraud-rule-form.js';
import { fraudKindLabel, keyWords, plainValue } from './fraud-words.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { StatusBadge } from './status-badge.js';

const CASE_PAGE_SIZE = 25;
const STATUSES: readonly { readonly id: FraudCaseStatus; readonly label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'confirmed', label: 'Confirmed' },
  { id: 'dismissed', label: 'Dismissed' },
];

type FraudTab = 'cases' | 'rules';

/**
 * Fraud alerts: the cases the rules opened (open ones first, as they wait for a decision), a case
 * with its evidence and decision, and the rules themselves. The tab, status and open case are in
 * the address, so a link (in a notification, say) opens the same case.
 */
export function FraudPage() {
  const [params, setParams] = useSearchParams();
  const tab: FraudTab = params.get('tab') === 'rules' ? 'rules' : 'cases';
  const caseId = params.get('case');
  return (
    <Page title="Fraud">
      <Tabs
        label="Fraud sections"
        tabs={[
          { id: 'cases', label: 'Cases' },
          { id: 'rules', label: 'Rules' },
        ]}
        selected={tab}
        onSelect={(next) => setParams(next === 'rules' ? { tab: 'rules' } : {}, { replace: true })}
      >
        {tab === 'rules' ? (
          <FraudRules />
        ) : caseId !== null && caseId !== '' ? (
          <FraudCaseView
            key={caseId}
            caseId={caseId}
            onClose={() => {
              const next = new URLSearchParams(params);
              next.delete('case');
              setParams(next, { replace: true });
            }}
          />
        ) : (
          <FraudCases
            status={STATUSES.find((s) => s.id === params.get('status'))?.id ?? 'open'}
            onStatus={(status) => setParams(status === 'open' ? {} : { status }, { replace: true })}
          />
        )}
      </Tabs>
    </Page>
  );
}

function FraudCases({
  status,
  onStatus,
}: {
  status: FraudCaseStatus;
  onStatus: (status: FraudCaseStatus) => void;
}) {
  const f = useLocale();
  const [params] = useSearchParams();
  const pages = useCursorPages();
  const cases = useQuery({
    queryKey: [...keys.fraudCases, status, pages.cursor ?? ''],
    queryFn: ({ signal }) =>
      api<ApiPage<FraudCase>>(
        `/v1/fraud-cases${query({ status, limit: CASE_PAGE_SIZE, cursor: pages.cursor })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  const caseLink = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('case', id);
    return `?${next.toString()}`;
  };
  return (
    <Card title="Cases">
      <div className="narrow">
        <SelectField
          label="Status"
          value={status}
          onChange={(event) => {
            pages.reset();
            onStatus(STATUSES.find((s) => s.id === event.target.value)?.id ?? 'open');
          }}
        >
          {STATUSES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryView
        query={cases}
        isEmpty={(page) => page.items.length === 0}
        empty={status === 'open' ? 'No open cases: nothing waits for a decision.' : `No ${status} cases.`}
      >
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <caption className="visually-hidden">{`${STATUSES.find((s) => s.id === status)?.label ?? ''} fraud cases`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Line</th>
                    <th scope="col">Summary</th>
                    <th scope="col" className="num">
                      Occurrences
                    </th>
                    <th scope="col">Barred</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Case</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((item) => (
                    <tr key={item.id}>
                      <td data-label="Kind">
                        {fraudKindLabel(item.kind)}{' '}
                        {item.status === 'open' ? null : <StatusBadge status={item.status} />}
                      </td>
                      <td data-label="Customer">
                        <Link to={`/console/customers/${item.customerId}`}>{item.customerName}</Link>
                      </td>
                      <td data-label="Line">{item.identifier ?? item.subscriptionId.slice(0, 8)}</td>
                      <td data-label="Summary">{item.summary}</td>
                      <td data-label="Occurrences" className="num">
                        {num(f, item.occurrences)}
                      </td>
                      <td data-label="Barred">
                        {item.barred ? <span className="badge bad">Barred</span> : 'No'}
                      </td>
                      <td data-label="Opened">{dateTime(f, item.openedAt)}</td>
                      <td data-label="Last seen">{dateTime(f, item.lastSeenAt)}</td>
                      <td data-label="Case">
                        <Link to={caseLink(item.id)}>
                          Open case<span className="visually-hidden"> of {item.customerName}</span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Case pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

/** The five rules with their settings; admins change them. */
function FraudRules() {
  const canEdit = useCan('admin');
  const f = useLocale();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const rules = useQuery({
    queryKey: keys.fraudRules,
    queryFn: ({ signal }) => api<{ items: FraudRule[] }>('/v1/fraud-rules', { signal }),
  });
  return (
    <Card title="Rules">
      <p className="hint">
        Rules are checked as usage arrives. A rule that fires opens a case (or adds to the open one) and, when
        set to bar, stops the line's chargeable usage until the case is reviewed.
        {canEdit ? '' : ' Admins change the rules.'}
      </p>
      <FormMessage success={notice} />
      <QueryView query={rules} isEmpty={(data) => data.items.length === 0} empty="No rules.">
        {(data) => (
          <div className="table-wrap">
            <table className="data stack">
              <caption className="visually-hidden">Fraud rules</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">When it fires</th>
                  <th scope="col">Notify</th>
                  <th scope="col">Parameters</th>
                  <th scope="col">Changed</th>
                  {canEdit ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.items.map((rule) => (
                  <tr key={rule.kind}>
                    <td data-label="Rule">{fraudKindLabel(rule.kind)}</td>
                    <td data-label="Enabled">
                      {rule.enabled ? (
                        <span className="badge ok">On</span>
                      ) : (
                        <span className="badge neutral">Off</span>
                      )}
                    </td>
                    <td data-label="When it fires">
                      {rule.action === 'bar' ? 'Case and bar the line' : 'Case'}
                    </td>
                    <td data-label="Notify">{rule.notify ? 'Yes' : 'No'}</td>
                    <td data-label="Parameters">
                      {Object.keys(rule.params).length === 0 ? (
                        '—'
                      ) : (
                        <ul className="plain-list">
                          {Object.entries(rule.params).map(([key, value]) => (
                            <li key={key}>
                              {keyWords(key)}: {plainValue(value)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td data-label="Changed">
                      {rule.updatedAt === null ? 'Default' : dateTime(f, rule.updatedAt)}
                    </td>
                    {canEdit ? (
                      <td data-label="Actions">
                        <DialogButton
                          label="Edit"
                          accessibleLabel={`Edit rule: ${fraudKindLabel(rule.kind)}`}
                          title={`Edit rule: ${fraudKindLabel(rule.kind)}`}
                          wide
                        >
                          {(close) => (
                            <FraudRuleForm
                              rule={rule}
                              onDone={(text) => {
                                close();
                                setNotice(text);
                              }}
                            />
                          )}
                        </DialogButton>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}
