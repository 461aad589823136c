import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { dateTime, type Formats, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { DialogButton } from '../ui/dialog.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Allowance, Plan, PlanDetail, PlanVersion } from './console-types.js';
import { PlanVersionForm } from './plan-version-form.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { usePlans } from './use-plans.js';
import { useAllTariffs } from './use-tariffs.js';

function allowanceText(allowance: Allowance): string {
  const scope = allowance.category === undefined ? '' : ` (${allowance.category})`;
  const rollover =
    allowance.rolloverCycles === undefined || allowance.rolloverCycles === 0
      ? ''
      : `, rolls over ${allowance.rolloverCycles}×`;
  return `${allowance.service}${scope}: ${allowance.amount}${rollover}`;
}

function feeText(f: Formats, version: PlanVersion): string {
  return `${money(f, version.recurringFee, version.currency)} a ${version.feePeriod}`;
}

/** Plans with the version in effect: prices and allowances; operators add versions and plans. */
export function PlanPanel() {
  const f = useLocale();
  const canEdit = useCan('operator');
  const plans = usePlans();
  const tariffs = useAllTariffs();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const tariffName = (tariffId: string | null) =>
    tariffId === null
      ? '—'
      : (tariffs.data?.items.find((t) => t.id === tariffId)?.code ?? tariffId.slice(0, 8));
  return (
    <Card title="Plans">
      {canEdit ? (
        <div className="actions">
          <DialogButton label="New plan" className="button primary" wide>
            {(close) => (
              <PlanVersionForm
                onDone={(text) => {
                  close();
                  setNotice(text);
                }}
              />
            )}
          </DialogButton>
        </div>
      ) : null}
      <FormMessage success={notice} />
      <QueryView query={plans} isEmpty={(page) => page.items.length === 0} empty="No plans yet.">
        {(page) => (
          <div className="table-wrap">
            <table className="data stack">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Price</th>
                  <th scope="col">Allowances</th>
                  <th scope="col">Tariff</th>
                  <th scope="col">Version</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((plan) => (
                  <tr key={plan.id}>
                    <td data-label="Plan">
                      {plan.name}
                      <span className="hint cell-note">{plan.code}</span>
                    </td>
                    <td data-label="Kind">{plan.kind === 'addon' ? 'Add-on' : 'Base'}</td>
                    <td data-label="Price">
                      {plan.current === null ? 'Not in effect yet' : feeText(f, plan.current)}
                    </td>
                    <td data-label="Allowances">
                      {plan.current === null || plan.current.allowances.length === 0 ? (
                        '—'
                      ) : (
                        <ul className="plain-list">
                          {plan.current.allowances.map((allowance) => (
                            <li key={`${allowance.service}:${allowance.category ?? ''}`}>
                              {allowanceText(allowance)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td data-label="Tariff">{tariffName(plan.current?.tariffId ?? null)}</td>
                    <td data-label="Version">
                      {plan.current === null ? '—' : plan.current.version}
                      {plan.latestVersion !== plan.current?.version ? (
                        <span className="hint cell-note">latest {plan.latestVersion}</span>
                      ) : null}
                    </td>
                    <td data-label="Actions">
                      <div className="actions">
                        <DialogButton
                          label="Versions"
                          title={`Versions of ${plan.name}`}
                          className="button secondary"
                          wide
                        >
                          {() => <PlanVersions plan={plan} />}
                        </DialogButton>
                        {canEdit ? (
                          <DialogButton label="New version" title={`New version of ${plan.name}`} wide>
                            {(close) => (
                              <PlanVersionForm
                                plan={plan}
                                onDone={(text) => {
                                  close();
                                  setNotice(text);
                                }}
                              />
                            )}
                          </DialogButton>
                        ) : null}
                      </div>
                    </td>
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

function PlanVersions({ plan }: { plan: Plan }) {
  const f = useLocale();
  const detail = useQuery({
    queryKey: keys.plan(plan.id),
    queryFn: ({ signal }) => api<PlanDetail>(`/v1/plans/${plan.id}`, { signal }),
  });
  return (
    <QueryView query={detail}>
      {(data) => (
        <div className="table-wrap">
          <table className="data stack">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Takes effect</th>
                <th scope="col">Price</th>
                <th scope="col">Allowances</th>
              </tr>
            </thead>
            <tbody>
              {[...data.versions]
                .sort((a, b) => b.version - a.version)
                .map((version) => (
                  <tr key={version.id}>
                    <td data-label="Version">
                      {version.version}
                      {version.id === data.current?.id ? <span className="badge ok">in effect</span> : null}
                    </td>
                    <td data-label="Takes effect">{dateTime(f, version.effectiveFrom)}</td>
                    <td data-label="Price">{feeText(f, version)}</td>
                    <td data-label="Allowances">
                      {version.allowances.length === 0
                        ? '—'
                        : version.allowances.map(allowanceText).join('; ')}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryView>
  );
}
