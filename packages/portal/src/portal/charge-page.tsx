import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { dateTime, num } from '../i18n/format.js';
import { type Translate, useLocale, useMessages } from '../i18n/messages.js';
import { toMicros } from '../ui/exact-decimal.js';
import { Card, Page } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import { firstOfMonth, lastOfMonth, today } from './account-days.js';
import { chargeTexts } from './charge-texts.js';
import type {
  AccountBalance,
  ExplainedUsage,
  RatedUsage,
  RatingExplanation,
  SpanExplanation,
} from './portal-api.js';
import { usePortal } from './portal-context.js';
import { preciseMoney, shiftDecimal } from './price-format.js';
import { type QuantityFormats, useQuantities } from './quantity-format.js';

type ChargeKey = keyof (typeof chargeTexts)['en'];

/**
 * "Why did this cost 0.55?": one rated record and the rating worked out again from its tariff
 * (GET /v1/rated-usage/:id), told as steps a customer can follow and check by hand: the
 * destination the number matched, each part's time band, price and counting steps, the
 * connection fee, rounding, and what the allowance covered.
 */
export function ChargePage() {
  const { id = '' } = useParams();
  const t = useMessages(chargeTexts);
  const explained = useQuery({
    queryKey: ['rated-usage', id],
    queryFn: ({ signal }) => api<ExplainedUsage>(`/v1/rated-usage/${encodeURIComponent(id)}`, { signal }),
  });
  if (explained.data !== undefined) return <ChargeView explained={explained.data} />;
  return (
    <Page title={t('loadingTitle')}>
      <QueryView query={explained}>{() => null}</QueryView>
    </Page>
  );
}

function ChargeView({ explained }: { explained: ExplainedUsage }) {
  const t = useMessages(chargeTexts);
  const f = useLocale();
  const q = useQuantities();
  const { account } = usePortal();
  const { usage, explanation } = explained;
  const price = (amount: string) => preciseMoney(f, amount, usage.currency);
  const zoned = { ...f, timeZone: account.timeZone };
  const settlement =
    usage.settlement === 'online'
      ? t('settlementOnline')
      : usage.settlement === 'debited'
        ? t('settlementDebited')
        : t('settlementAccrued');

  return (
    <Page title={t('pageTitle', { amount: price(usage.charged) })}>
      <p>
        <Link to={usageOfMonth(usage.startedAt, account.timeZone)}>← {t('back')}</Link>
      </p>
      {usage.entry === 'reversal' ? (
        <p className="alert-warn">
          {t('reversal')}{' '}
          {usage.reversesId !== null ? (
            <Link to={`/portal/usage/${usage.reversesId}`}>{t('reversed')}</Link>
          ) : null}
        </p>
      ) : null}
      <div className="grid">
        <Card title={t('usage')}>
          <dl className="facts">
            <dt>{t('when')}</dt>
            <dd>{dateTime(zoned, usage.startedAt)}</dd>
            <dt>{t('line')}</dt>
            <dd>{usage.subscriber}</dd>
            <dt>{t('service')}</dt>
            <dd>{q.service(usage.service)}</dd>
            {usage.destination !== '' ? (
              <>
                <dt>{t('destination')}</dt>
                <dd>{usage.destination}</dd>
              </>
            ) : null}
            <dt>{t('direction')}</dt>
            <dd>{usage.direction === 'incoming' ? t('incoming') : t('outgoing')}</dd>
            <dt>{t('quantity')}</dt>
            <dd>{q.usage(usage.unit, usage.units)}</dd>
          </dl>
        </Card>
        <Card title={t('facts')}>
          <ChargeFacts usage={usage} explanation={explanation} />
        </Card>
      </div>
      {explanation === null ? (
        <p className="alert-warn">{t('notExplained')}</p>
      ) : (
        <Card title={t('steps')}>
          {explained.reproduced ? null : <p className="alert-warn">{t('notReproduced')}</p>}
          <ol className="steps">
            {explanationSteps(explanation, usage, { t, q, price }).map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          {toMicros(usage.charged) === 0n ? null : <p className="figure-note">{settlement}</p>}
          {explanation.spans.length > 1 ? <SpanTable explanation={explanation} usage={usage} /> : null}
        </Card>
      )}
    </Page>
  );
}

/** The figures at a glance, beside the steps: rate, steps, band, allowance, total. */
function ChargeFacts({ usage, explanation }: { usage: RatedUsage; explanation: RatingExplanation | null }) {
  const t = useMessages(chargeTexts);
  const f = useLocale();
  const q = useQuantities();
  const { account } = usePortal();
  const price = (amount: string) => preciseMoney(f, amount, usage.currency);
  const first = explanation?.spans[0];
  const allowance = useAllowanceNames(account.id, usage);
  const billed = explanation?.spans.reduce((sum, span) => sum + Number(span.billed), 0);
  return (
    <dl className="facts">
      {explanation !== null ? (
        <>
          <dt>{t('prefix')}</dt>
          <dd>
            {isAny(explanation.destination.matchedPrefix) ? t('none') : explanation.destination.matchedPrefix}
          </dd>
          <dt>{t('destinationName')}</dt>
          <dd>{destinationName(t, explanation.destination.destinationId)}</dd>
        </>
      ) : null}
      {first !== undefined && explanation !== null ? (
        <>
          <dt>{t('pricePerUnit')}</dt>
          <dd>
            {(() => {
              const unit = unitPrice(q, explanation, first, usage.unit);
              return t('pricePer', { price: price(unit.price), per: unit.per });
            })()}
          </dd>
          <dt>{t('connectFee')}</dt>
          <dd>{toMicros(explanation.connectFee) === 0n ? t('none') : price(explanation.connectFee)}</dd>
          <dt>{t('increment')}</dt>
          <dd>{explainedQuantity(q, explanation.unit, first.increment, usage.unit)}</dd>
          <dt>{t('billedVsActual')}</dt>
          <dd>
            {t('billedOf', {
              billed: explainedQuantity(q, explanation.unit, String(billed ?? 0), usage.unit),
              used: explainedQuantity(q, explanation.unit, explanation.usage, usage.unit),
            })}
          </dd>
          <dt>{t('timeBand')}</dt>
          <dd>{[...new Set(explanation.spans.map((span) => bandName(t, span.timeBand)))].join(', ')}</dd>
        </>
      ) : null}
      <dt>{t('allowanceUsed')}</dt>
      <dd>
        {usage.allowanceUnits === '0'
          ? t('none')
          : allowance.length > 0
            ? allowance.join(', ')
            : q.usage(usage.unit, usage.allowanceUnits)}
      </dd>
      <dt>{t('listPrice')}</dt>
      <dd>{price(usage.list)}</dd>
      <dt>{t('total')}</dt>
      <dd>
        <strong>{price(usage.charged)}</strong>
      </dd>
    </dl>
  );
}

/** The parts of a usage that crossed time bands or rate groups, as a table. */
function SpanTable({ explanation, usage }: { explanation: RatingExplanation; usage: RatedUsage }) {
  const t = useMessages(chargeTexts);
  const f = useLocale();
  const q = useQuantities();
  const show = (value: string) => explainedQuantity(q, explanation.unit, value, usage.unit);
  return (
    <div className="table-wrap">
      <table className="data stack">
        <caption>{t('parts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('part')}</th>
            <th scope="col">{t('from')}</th>
            <th scope="col">{t('timeBand')}</th>
            <th scope="col">{t('pricePerUnit')}</th>
            <th scope="col" className="num">
              {t('billedVsActual')}
            </th>
            <th scope="col" className="num">
              {t('cost')}
            </th>
          </tr>
        </thead>
        <tbody>
          {explanation.spans.map((span, index) => (
            <tr key={`${span.startOffset}-${span.rate}-${span.group}`}>
              <td data-label={t('part')}>{num(f, index + 1)}</td>
              <td data-label={t('from')}>{show(span.startOffset)}</td>
              <td data-label={t('timeBand')}>{bandName(t, span.timeBand)}</td>
              <td data-label={t('pricePerUnit')}>
                {(() => {
                  const unit = unitPrice(q, explanation, span, usage.unit);
                  return t('pricePer', {
                    price: preciseMoney(f, unit.price, explanation.currency),
                    per: unit.per,
                  });
                })()}
              </td>
              <td data-label={t('billedVsActual')} className="num">
                {t('billedOf', { billed: show(span.billed), used: show(span.used) })}
              </td>
              <td data-label={t('cost')} className="num">
                {preciseMoney(f, span.cost, explanation.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The explanation as sentences, in the order the price was worked out (docs/rating.md). */
function explanationSteps(
  explanation: RatingExplanation,
  usage: RatedUsage,
  tools: { t: Translate<ChargeKey>; q: QuantityFormats; price: (amount: string) => string },
): string[] {
  const { t, q, price } = tools;
  const show = (value: string) => explainedQuantity(q, explanation.unit, value, usage.unit);
  const steps: string[] = [];
  const destination = destinationName(t, explanation.destination.destinationId);
  steps.push(
    isAny(explanation.destination.matchedPrefix)
      ? t('stepAnyDestination', { destination })
      : t('stepDestination', {
          number: explanation.destination.number,
          prefix: explanation.destination.matchedPrefix,
          destination,
        }),
  );
  for (const span of explanation.spans)
    steps.push(
      spanStep(span, explanation, { t, show, price, unit: unitPrice(q, explanation, span, usage.unit) }),
    );
  if (toMicros(explanation.connectFee) !== 0n)
    steps.push(t('stepConnectFee', { fee: price(explanation.connectFee) }));
  if (explanation.minimumChargeApplied && explanation.minimumCharge !== null)
    steps.push(t('stepMinimum', { minimum: price(explanation.minimumCharge) }));
  if (explanation.maxCost?.reached === true && explanation.maxCost.strategy === 'free')
    steps.push(t('stepMaxCost', { amount: price(explanation.maxCost.amount) }));
  steps.push(
    t('stepRounding', {
      exact: price(explanation.exactCost),
      method: roundingName(t, explanation.rounding.method),
      decimals: explanation.rounding.decimals,
      cost: price(explanation.cost),
    }),
  );
  if (usage.allowanceUnits !== '0') {
    steps.push(
      toMicros(usage.charged) === 0n
        ? t('stepAllAllowance', { list: price(usage.list) })
        : t('stepAllowance', {
            allowance: q.usage(usage.unit, usage.allowanceUnits),
            list: price(usage.list),
            charged: price(usage.charged),
          }),
    );
  }
  steps.push(t('stepTotal', { charged: price(usage.charged) }));
  return steps;
}

function spanStep(
  span: SpanExplanation,
  explanation: RatingExplanation,
  tools: {
    t: Translate<ChargeKey>;
    show: (value: string) => string;
    price: (amount: string) => string;
    unit: { price: string; per: string };
  },
): string {
  const { t, show, price, unit } = tools;
  const values = {
    band: bandName(t, span.timeBand),
    price: price(unit.price),
    per: unit.per,
    increment: show(span.increment),
    used: show(span.used),
    increments: span.increments,
    billed: show(span.billed),
    cost: price(span.cost),
    offset: show(span.startOffset),
  };
  if (explanation.unit !== 'seconds') return t('stepCount', values);
  return Number(span.startOffset) === 0 ? t('stepSpan', values) : t('stepSpanFrom', values);
}

/** A quantity of the explanation: seconds (with milliseconds), bytes or units. */
function explainedQuantity(q: QuantityFormats, unit: string, value: string, recordUnit: string): string {
  const amount = Number(value);
  if (unit === 'seconds')
    return amount >= 60 && amount % 60 === 0 ? q.allowance('seconds', amount) : q.usage('seconds', amount);
  if (unit === 'bytes') return q.usage('bytes', amount);
  return q.usage(recordUnit === 'messages' ? 'messages' : 'units', amount);
}

/** The usage page for the month of a record, up to its day: where the customer likely came from. */
function usageOfMonth(startedAt: string, timeZone: string): string {
  const day = today(timeZone, new Date(startedAt).getTime());
  return `/portal/usage?from=${firstOfMonth(day)}&to=${lastOfMonth(day)}`;
}

/** A prefix or destination that stands for every destination of the service. */
function isAny(id: string): boolean {
  return id === '' || id === '*any';
}

/** Tariff ids are written for people ("DE_MOBILE"): shown with spaces rather than underscores. */
function destinationName(t: Translate<ChargeKey>, id: string): string {
  return isAny(id) ? t('anyDestination') : id.replace(/^DST_/, '').replace(/_/g, ' ');
}

/**
 * A span's price as a customer compares prices: per megabyte for data priced per byte (or per
 * kilobyte), exactly, else per the tariff's own unit.
 */
function unitPrice(
  q: QuantityFormats,
  explanation: RatingExplanation,
  span: SpanExplanation,
  recordUnit: string,
): { price: string; per: string } {
  const per = Number(span.per);
  const exponent = Math.log10(per);
  if (explanation.unit === 'bytes' && Number.isInteger(exponent) && exponent < 6)
    return { price: shiftDecimal(span.price, 6 - exponent), per: q.usage('bytes', 1_000_000) };
  return { price: span.price, per: explainedQuantity(q, explanation.unit, span.per, recordUnit) };
}

function bandName(t: Translate<ChargeKey>, band: string): string {
  return band === '*any' || band === '' ? t('anyBand') : t('band', { band: band.replace(/_/g, ' ') });
}

function roundingName(t: Translate<ChargeKey>, method: string): string {
  switch (method) {
    case 'up':
      return t('roundUp');
    case 'down':
      return t('roundDown');
    case 'half-even':
      return t('roundHalfEven');
    default:
      return t('roundHalfUp');
  }
}

/**
 * Which allowances the record drew on, by name: the stored explanation lists the buckets, and
 * the account's balance names them. Without the names, the caller shows the quantity alone.
 */
function useAllowanceNames(accountId: string, usage: RatedUsage): string[] {
  const q = useQuantities();
  const t = useMessages(chargeTexts);
  const stored = (usage as { explanation?: { allowances?: { bucketId: string; units: string }[] } })
    .explanation?.allowances;
  const balance = useQuery({
    queryKey: ['account', accountId, 'balance'],
    queryFn: ({ signal }) => api<AccountBalance>(`/v1/accounts/${accountId}/balance`, { signal }),
    enabled: stored !== undefined && stored.length > 0,
  });
  if (stored === undefined || balance.data === undefined) return [];
  return stored.map((hold) => {
    const bucket = balance.data.buckets.find((b) => b.id === hold.bucketId);
    const amount = q.usage(usage.unit, hold.units);
    return bucket?.label == null ? amount : t('allowanceBucket', { amount, bucket: bucket.label });
  });
}
