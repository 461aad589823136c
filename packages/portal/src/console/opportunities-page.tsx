import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api/client.js';
import type { OpportunityKind, PlanOpportunities, PlanOpportunity } from '../api/types.js';
import { money, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { toMicros } from '../ui/exact-decimal.js';
import { SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { Tabs } from '../ui/tabs.js';
import { AccountLink } from './account-link.js';
import { keys } from './query-keys.js';

const CYCLE_CHOICES = [1, 2, 3, 6, 12] as const;
const DEFAULT_CYCLES = 3;
const LIMIT = 50;

const INTRO: Readonly<Record<OpportunityKind, string>> = {
  saving:
    'Customers who would have paid the most less on another plan over their last complete bill cycles: the ones a competitor can win with a cheaper offer (churn risk).',
  upsell:
    'Customers who keep using more than their plan includes: a larger plan would suit them, often for less than they pay in overage.',
};

/**
 * Plan opportunities across the customer base, from each line's real usage re-priced under every
 * plan: who would save the most (churn risk) and who keeps exceeding the allowance (upsell), with
 * the figures behind each.
 */
export function OpportunitiesPage() {
  const [params, setParams] = useSearchParams();
  const kind: OpportunityKind = params.get('kind') === 'upsell' ? 'upsell' : 'saving';
  const asked = Number(params.get('cycles'));
  const cycles = CYCLE_CHOICES.find((c) => c === asked) ?? DEFAULT_CYCLES;
  const set = (next: { kind?: OpportunityKind; cycles?: number }) =>
    setParams(
      {
        kind: next.kind ?? kind,
        ...((next.cycles ?? cycles) === DEFAULT_CYCLES ? {} : { cycles: String(next.cycles ?? cycles) }),
      },
      { replace: true },
    );
  return (
    <Page title="Plan opportunities">
      <Tabs
        label="Opportunity kinds"
        tabs={[
          { id: 'saving', label: 'Would save' },
          { id: 'upsell', label: 'Over allowance' },
        ]}
        selected={kind}
        onSelect={(next) => set({ kind: next })}
      >
        <p className="hint">{INTRO[kind]}</p>
        <div className="narrow">
          <SelectField
            label="Bill cycles compared"
            value={String(cycles)}
            onChange={(event) => set({ cycles: Number(event.target.value) })}
          >
            {CYCLE_CHOICES.map((c) => (
              <option key={c} value={c}>
                {c === 1 ? 'The last cycle' : `The last ${c} cycles`}
              </option>
            ))}
          </SelectField>
        </div>
        <OpportunityList kind={kind} cycles={cycles} />
      </Tabs>
    </Page>
  );
}

function OpportunityList({ kind, cycles }: { kind: OpportunityKind; cycles: number }) {
  const list = useQuery({
    queryKey: keys.opportunities(kind, cycles),
    queryFn: ({ signal }) =>
      api<PlanOpportunities>(`/v1/plan-opportunities${query({ kind, cycles, limit: LIMIT })}`, { signal }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={kind === 'saving' ? 'Would save on another plan' : 'Over their allowance'}>
      <QueryView
        query={list}
        isEmpty={(data) => data.items.length === 0}
        empty={
          kind === 'saving'
            ? 'No customer would have paid less on another plan.'
            : 'No customer kept exceeding the allowance.'
        }
      >
        {(data) => <OpportunityTable kind={kind} items={data.items} />}
      </QueryView>
    </Card>
  );
}

function OpportunityTable({ kind, items }: { kind: OpportunityKind; items: readonly PlanOpportunity[] }) {
  const f = useLocale();
  /** A saving as words: "4.20 less" or "1.10 more" (an upsell may cost the customer more). */
  const savingText = (item: PlanOpportunity) => {
    const micros = toMicros(item.savingPerCycle);
    const amount = money(f, item.savingPerCycle.replace(/^-/, ''), item.currency);
    return micros > 0n ? `${amount} less` : micros < 0n ? `${amount} more` : 'Same';
  };
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">
          {kind === 'saving' ? 'Customers who would save on another plan' : 'Customers over their allowance'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Account</th>
            <th scope="col">Line</th>
            <th scope="col">Current plan</th>
            <th scope="col">Suggested plan</th>
            <th scope="col" className="num">
              Now per cycle
            </th>
            <th scope="col" className="num">
              Suggested per cycle
            </th>
            <th scope="col" className="num">
              Customer pays
            </th>
            <th scope="col" className="num">
              Cycles over allowance
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.subscriptionId}>
              <td data-label="Customer">
                <Link to={`/console/customers/${item.customerId}?account=${item.accountId}`}>
                  {item.customerName}
                </Link>
              </td>
              <td data-label="Account">
                <AccountLink accountId={item.accountId} label={item.accountNumber} />
              </td>
              <td data-label="Line">{item.identifier ?? item.subscriptionId.slice(0, 8)}</td>
              <td data-label="Current plan">{item.currentPlan.name}</td>
              <td data-label="Suggested plan">{item.suggestedPlan.name}</td>
              <td data-label="Now per cycle" className="num">
                {money(f, item.currentAveragePerCycle, item.currency)}
              </td>
              <td data-label="Suggested per cycle" className="num">
                {money(f, item.suggestedAveragePerCycle, item.currency)}
              </td>
              <td data-label="Customer pays" className="num">
                {savingText(item)}
              </td>
              <td data-label="Cycles over allowance" className="num">
                {num(f, item.cyclesOverAllowance)} of {num(f, item.cyclesCompared)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
