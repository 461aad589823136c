import { useId } from 'react';
import { Link } from 'react-router';
import { lineLabel, type RecommendationAllowance, type Subscription } from '../api/types.js';
import { date, money, num } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { type LineRecommendation, useLineRecommendation } from './plan-recommendation.js';
import { useQuantities } from './quantity-format.js';
import { recommendationTexts } from './recommendation-texts.js';

/**
 * On the plan page: "you would have paid 12.40 less per month on Plan X", over how many cycles,
 * a button into the usual plan change (with its preview), and the evidence per cycle. Nothing is
 * shown when the line's plan is already the cheapest or the comparison is not available.
 */
export function RecommendationCard({
  line,
  named,
  onSwitch,
}: {
  line: Subscription;
  /** Whether to name the line (the account has several). */
  named: boolean;
  onSwitch: (planId: string, planName: string) => void;
}) {
  const recommendation = useLineRecommendation(line);
  if (recommendation === null) return null;
  return <FullCard line={line} named={named} recommendation={recommendation} onSwitch={onSwitch} />;
}

function FullCard({
  line,
  named,
  recommendation,
  onSwitch,
}: {
  line: Subscription;
  named: boolean;
  recommendation: LineRecommendation;
  onSwitch: (planId: string, planName: string) => void;
}) {
  const t = useMessages(recommendationTexts);
  const f = useLocale();
  const headingId = useId();
  const { data, best, monthly } = recommendation;
  const plan = best.name;
  const amount = money(f, best.savingPerCycle, data.currency);
  const first = data.cycles[0];
  const last = data.cycles[data.cycles.length - 1];
  const period = {
    from: first === undefined ? '' : date(f, first.from),
    to: last === undefined ? '' : date(f, last.to),
  };
  return (
    <section className="card recommendation" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {named ? t('titleLine', { line: lineLabel(line) }) : t('title')}
      </h2>
      <p className="recommendation-saving">
        <strong>{t(monthly ? 'savingMonth' : 'savingCycle', { amount, plan })}</strong>
      </p>
      <p className="figure-note">
        {data.cycles.length === 1
          ? t('basisOne', period)
          : t('basisMany', { count: num(f, data.cycles.length), ...period })}
      </p>
      <p>
        <button type="button" className="button primary" onClick={() => onSwitch(best.planId, best.name)}>
          {t('switchTo', { plan })}
        </button>
      </p>
      <details>
        <summary>{t('evidence')}</summary>
        <Evidence recommendation={recommendation} />
      </details>
    </section>
  );
}

function Evidence({ recommendation }: { recommendation: LineRecommendation }) {
  const t = useMessages(recommendationTexts);
  const f = useLocale();
  const q = useQuantities();
  const { data, best, current } = recommendation;
  const plan = best.name;
  const show = (amount: string) => money(f, amount, data.currency);
  const allowance = (a: RecommendationAllowance) =>
    t('allowanceUsed', {
      service: q.service(a.service),
      used: q.allowance(a.unit, a.used, data.currency),
      included: q.allowance(a.unit, a.included, data.currency),
    });
  const h = {
    cycle: t('cycle'),
    now: current === undefined ? null : t('nowTotal', { plan: current.name }),
    fee: t('fee', { plan }),
    usage: t('usage', { plan }),
    tax: t('tax', { plan }),
    total: t('total', { plan }),
    allowances: t('allowances', { plan }),
  };
  const numeric = [h.now, h.fee, h.usage, h.tax, h.total].filter((header) => header !== null);
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption className="visually-hidden">{t('evidenceCaption', { plan })}</caption>
        <thead>
          <tr>
            <th scope="col">{h.cycle}</th>
            {numeric.map((header) => (
              <th key={header} scope="col" className="num">
                {header}
              </th>
            ))}
            <th scope="col">{h.allowances}</th>
          </tr>
        </thead>
        <tbody>
          {best.cycles.map((cycle) => {
            const now = current?.cycles.find((c) => c.from === cycle.from);
            return (
              <tr key={cycle.from}>
                <td data-label={h.cycle}>
                  {date(f, cycle.from)} – {date(f, cycle.to)}
                </td>
                {h.now === null ? null : (
                  <td data-label={h.now} className="num">
                    {now === undefined ? '—' : show(now.total)}
                  </td>
                )}
                <td data-label={h.fee} className="num">
                  {show(cycle.recurringFee)}
                </td>
                <td data-label={h.usage} className="num">
                  {show(cycle.usage)}
                </td>
                <td data-label={h.tax} className="num">
                  {show(cycle.tax)}
                </td>
                <td data-label={h.total} className="num">
                  <strong>{show(cycle.total)}</strong>
                </td>
                <td data-label={h.allowances}>
                  {cycle.allowances.length === 0 ? (
                    t('noAllowances')
                  ) : (
                    <ul className="plain-list">
                      {cycle.allowances.map((a) => (
                        <li key={`${a.service}:${a.unit}`}>{allowance(a)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** On the overview: the saving in one line and a link to the comparison on the plan page. */
export function RecommendationTeaser({ line, named }: { line: Subscription; named: boolean }) {
  const t = useMessages(recommendationTexts);
  const f = useLocale();
  const recommendation = useLineRecommendation(line);
  const headingId = useId();
  if (recommendation === null) return null;
  const { data, best, monthly } = recommendation;
  const amount = money(f, best.savingPerCycle, data.currency);
  return (
    <section className="card recommendation" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {named ? t('titleLine', { line: lineLabel(line) }) : t('title')}
      </h2>
      <p className="figure">{t(monthly ? 'shortMonth' : 'shortCycle', { amount, plan: best.name })}</p>
      <p className="figure-note">
        {data.cycles.length === 1
          ? t('shortBasisOne')
          : t('shortBasisMany', { count: num(f, data.cycles.length) })}
      </p>
      <p>
        <Link className="button secondary" to="/portal/plan">
          {t('seeComparison')}
        </Link>
      </p>
    </section>
  );
}
