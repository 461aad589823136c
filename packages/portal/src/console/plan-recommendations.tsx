import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { ApiError, api, query } from '../api/client.js';
import {
  lineLabel,
  type PlanRecommendations,
  type RecommendationAllowance,
  type RecommendationOption,
  type Subscription,
} from '../api/types.js';
import { date, type Formats, money } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { toMicros } from '../ui/exact-decimal.js';
import { Card } from '../ui/page.js';
import { ErrorState, Loading, QueryView } from '../ui/query-view.js';
import type { Account } from './console-types.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { usageQuantity } from './usage-quantity.js';
import { useLines } from './use-lines.js';

const CYCLES = 3;

/**
 * Which plan each line would have paid least on, from its last complete cycles re-priced under
 * every plan it could move to: the options ranked, each with its per-cycle evidence, so staff can
 * offer the better plan with the figures in hand.
 */
export function PlanRecommendationsCard({ account }: { account: Account }) {
  const canSee = useCan('support');
  const lines = useLines(account.id);
  if (!canSee) return null;
  return (
    <Card title="Plan recommendations" className="recommendations">
      <QueryView query={lines}>
        {(page) => {
          const priced = page.items.filter((line) => line.status !== 'terminated' && line.planId !== null);
          return priced.length === 0 ? (
            <p className="hint">No line with a plan to compare.</p>
          ) : (
            priced.map((line) => <LineRecommendations key={line.id} line={line} />)
          );
        }}
      </QueryView>
    </Card>
  );
}

/** A problem that means "nothing to compare yet" (no complete cycle), not a failure. */
function isNotYet(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 409 || error.status === 422);
}

function LineRecommendations({ line }: { line: Subscription }) {
  const f = useLocale();
  const headingId = useId();
  const recommendations = useQuery({
    queryKey: keys.recommendations(line.id, CYCLES),
    queryFn: ({ signal }) =>
      api<PlanRecommendations>(
        `/v1/subscriptions/${line.id}/plan-recommendations${query({ cycles: CYCLES })}`,
        { signal },
      ),
    retry: (count, error) => !isNotYet(error) && count < 1,
    staleTime: 5 * 60_000,
  });
  return (
    <section className="line-recommendations" aria-labelledby={headingId}>
      <h3 id={headingId}>Line {lineLabel(line)}</h3>
      {recommendations.isPending ? (
        <Loading />
      ) : recommendations.isError ? (
        isNotYet(recommendations.error) ? (
          <p className="hint">{recommendations.error.detail}</p>
        ) : (
          <ErrorState error={recommendations.error} onRetry={() => void recommendations.refetch()} />
        )
      ) : (
        <Ranked data={recommendations.data} f={f} />
      )}
    </section>
  );
}

function savingText(f: Formats, saving: string, currency: string, current: boolean): string {
  if (current) return 'Current plan';
  const micros = toMicros(saving);
  const amount = money(f, saving.replace(/^-/, ''), currency);
  return micros > 0n ? `${amount} less` : micros < 0n ? `${amount} more` : 'Same';
}

function Ranked({ data, f }: { data: PlanRecommendations; f: Formats }) {
  const options = [...data.options].sort((a, b) => a.rank - b.rank);
  const first = data.cycles[0];
  const last = data.cycles[data.cycles.length - 1];
  return (
    <>
      <p className="figure-note">
        {data.cycles.length === 1 ? '1 complete bill cycle' : `${data.cycles.length} complete bill cycles`}
        {first === undefined || last === undefined ? '' : `, ${date(f, first.from)} – ${date(f, last.to)}`},
        now on {data.current.name}.
      </p>
      <div className="table-wrap">
        <table className="data stack">
          <caption className="visually-hidden">Plans ranked by what the line would have paid</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Rank
              </th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Average per cycle
              </th>
              <th scope="col" className="num">
                Saving per cycle
              </th>
            </tr>
          </thead>
          <tbody>
            {options.map((option) => (
              <tr key={option.planVersionId} aria-current={option.current ? 'true' : undefined}>
                <td data-label="Rank" className="num">
                  {option.rank}
                </td>
                <td data-label="Plan">
                  {option.name}
                  {option.current ? <span className="badge neutral">current</span> : null}
                  {option.rank === 1 && !option.current ? <span className="badge ok">cheapest</span> : null}
                </td>
                <td data-label="Total" className="num">
                  {money(f, option.total, data.currency)}
                </td>
                <td data-label="Average per cycle" className="num">
                  {money(f, option.averagePerCycle, data.currency)}
                </td>
                <td data-label="Saving per cycle" className="num">
                  {savingText(f, option.savingPerCycle, data.currency, option.current)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {options.map((option) => (
        <details key={option.planVersionId} className="evidence-details">
          <summary>Per-cycle evidence: {option.name}</summary>
          <CycleEvidence option={option} currency={data.currency} f={f} />
        </details>
      ))}
    </>
  );
}

function allowanceText(f: Formats, allowance: RecommendationAllowance): string {
  const show = (value: string) =>
    /^[A-Z]{3}$/.test(allowance.unit)
      ? money(f, value, allowance.unit)
      : usageQuantity(f, allowance.unit, value);
  return `${allowance.service}: ${show(allowance.used)} of ${show(allowance.included)}`;
}

function CycleEvidence({
  option,
  currency,
  f,
}: {
  option: RecommendationOption;
  currency: string;
  f: Formats;
}) {
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">Per-cycle evidence for {option.name}</caption>
        <thead>
          <tr>
            <th scope="col">Cycle</th>
            <th scope="col" className="num">
              Recurring fee
            </th>
            <th scope="col" className="num">
              Usage
            </th>
            <th scope="col" className="num">
              Tax
            </th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Allowances used</th>
          </tr>
        </thead>
        <tbody>
          {option.cycles.map((cycle) => (
            <tr key={cycle.from}>
              <td data-label="Cycle">
                {date(f, cycle.from)} – {date(f, cycle.to)}
              </td>
              <td data-label="Recurring fee" className="num">
                {money(f, cycle.recurringFee, currency)}
              </td>
              <td data-label="Usage" className="num">
                {money(f, cycle.usage, currency)}
              </td>
              <td data-label="Tax" className="num">
                {money(f, cycle.tax, currency)}
              </td>
              <td data-label="Total" className="num">
                {money(f, cycle.total, currency)}
              </td>
              <td data-label="Allowances used">
                {cycle.allowances.length === 0 ? (
                  'None'
                ) : (
                  <ul className="plain-list">
                    {cycle.allowances.map((allowance) => (
                      <li key={`${allowance.service}:${allowance.unit}`}>{allowanceText(f, allowance)}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
