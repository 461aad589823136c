import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { lineLabel, type Subscription } from '../api/types.js';
import { date, money } from '../i18n/format.js';
import { type Translate, useLocale, useMessages } from '../i18n/messages.js';
import { Dialog } from '../ui/dialog.js';
import { toMicros } from '../ui/exact-decimal.js';
import { FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { certainlyRefused, useAttemptKey } from './attempt-key.js';
import { type PlanOffer, useMyPlans } from './my-plans.js';
import { planTexts } from './plan-texts.js';
import { errorText, isMissingRoute, type SubscriptionChange } from './portal-api.js';
import { useAccountLines, usePortal } from './portal-context.js';
import { type QuantityFormats, useQuantities } from './quantity-format.js';
import { RecommendationCard } from './recommendation-card.js';

type PlanKey = keyof (typeof planTexts)['en'];
type ChangeKind = 'plan_changed' | 'addon_added' | 'addon_removed' | 'paused' | 'resumed';

/** A change the customer is about to confirm. */
interface ChangeRequest {
  readonly kind: ChangeKind;
  readonly line: Subscription;
  readonly plan?: PlanOffer;
}

/**
 * Each line's plan and add-ons, the plans side by side, and the changes a customer may make
 * themself (POST /v1/subscriptions/:id/changes): another plan (after a preview of what it does to
 * the next invoice), add-ons on and off, and pausing or resuming a line.
 */
export function PlanPage() {
  const t = useMessages(planTexts);
  const { account } = usePortal();
  const lines = useAccountLines();
  const plans = useMyPlans(account.currency);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [request, setRequest] = useState<ChangeRequest | null>(null);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const changeable = lines.filter((line) => line.status === 'active' || line.status === 'paused');
  const target = changeable.find((line) => line.id === targetId) ?? changeable[0];
  const offers = plans.data ?? [];
  const ask = (next: ChangeRequest) => {
    setNotice(undefined);
    setRequest(next);
  };

  return (
    <Page title={t('title')}>
      <FormMessage success={notice} />
      {changeable.map((line) => (
        <RecommendationCard
          key={line.id}
          line={line}
          named={lines.length > 1}
          onSwitch={(planId, name) =>
            ask({
              kind: 'plan_changed',
              line,
              plan: offers.find((p) => p.id === planId) ?? offerOf(planId, name, account.currency),
            })
          }
        />
      ))}
      <section aria-labelledby="plan-lines">
        <h2 id="plan-lines" className="section-title">
          {t('lines')}
        </h2>
        {lines.length === 0 ? (
          <Empty>{t('noLines')}</Empty>
        ) : (
          <div className="grid">
            {lines.map((line) => (
              <LineCard key={line.id} line={line} plans={offers} onAsk={ask} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="plan-compare">
        <h2 id="plan-compare" className="section-title">
          {t('compare')}
        </h2>
        {changeable.length > 1 ? (
          <div className="narrow">
            <SelectField
              label={t('compareFor')}
              value={target?.id ?? ''}
              onChange={(e) => setTargetId(e.target.value)}
            >
              {changeable.map((line) => (
                <option key={line.id} value={line.id}>
                  {lineLabel(line)}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
        {plans.isPending ? (
          <Loading />
        ) : plans.isError ? (
          isMissingRoute(plans.error) ? (
            <p className="state">{t('plansUnavailable')}</p>
          ) : (
            <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
          )
        ) : (
          <>
            <ComparePlans plans={offers.filter((p) => p.kind === 'base')} line={target} onAsk={ask} />
            <AddonsOffered plans={offers.filter((p) => p.kind === 'addon')} line={target} onAsk={ask} />
          </>
        )}
      </section>
      <ChangeDialog
        request={request}
        onClose={() => setRequest(null)}
        onDone={(message) => {
          setRequest(null);
          setNotice(message);
        }}
      />
    </Page>
  );
}

/** A plan known only by the recommendation (not in the offered list): enough for the change and its preview. */
function offerOf(id: string, name: string, currency: string): PlanOffer {
  return {
    id,
    code: '',
    name,
    kind: 'base',
    recurringFee: '0',
    currency,
    feePeriod: 'month',
    allowances: [],
  };
}

/** The add-ons a line has now, from its changes: added and not removed since. */
function useLineAddons(subscriptionId: string | undefined) {
  return useQuery({
    enabled: subscriptionId !== undefined,
    queryKey: ['subscription', subscriptionId ?? '', 'changes'],
    queryFn: async ({ signal }) => {
      const addons = new Set<string>();
      let cursor: string | null = null;
      // A line's history is short; ten pages of 200 changes bound the walk all the same.
      for (let page = 0; page < 10; page++) {
        const result: ApiPage<SubscriptionChange> = await api<ApiPage<SubscriptionChange>>(
          `/v1/subscriptions/${subscriptionId}/changes${query({ limit: 200, cursor })}`,
          { signal },
        );
        for (const change of result.items) {
          const addon = change.data.addonPlanId;
          if (change.kind === 'addon_added' && addon !== undefined) addons.add(addon);
          if (change.kind === 'addon_removed' && addon !== undefined) addons.delete(addon);
          if (change.kind === 'terminated') addons.clear();
        }
        cursor = result.nextCursor ?? null;
        if (cursor === null) break;
      }
      return [...addons];
    },
  });
}

function statusBadge(t: Translate<PlanKey>, status: string) {
  const [tone, label] =
    status === 'active'
      ? ['ok', t('statusActive')]
      : status === 'paused'
        ? ['warn', t('statusPaused')]
        : status === 'suspended'
          ? ['bad', t('statusSuspended')]
          : ['neutral', t('statusTerminated')];
  return <span className={`badge ${tone}`}>{label}</span>;
}

function useFeeText(): (plan: PlanOffer) => string {
  const t = useMessages(planTexts);
  const f = useLocale();
  return (plan) => {
    const fee = money(f, plan.recurringFee, plan.currency);
    switch (plan.feePeriod) {
      case 'week':
        return t('feeWeek', { fee });
      case 'quarter':
        return t('feeQuarter', { fee });
      case 'year':
        return t('feeYear', { fee });
      default:
        return t('feeMonth', { fee });
    }
  };
}

function LineCard({
  line,
  plans,
  onAsk,
}: {
  line: Subscription;
  plans: readonly PlanOffer[];
  onAsk: (request: ChangeRequest) => void;
}) {
  const t = useMessages(planTexts);
  const feeText = useFeeText();
  const addons = useLineAddons(line.id);
  const label = lineLabel(line);
  const plan = plans.find((p) => p.id === line.planId);
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        {t('line', { line: label })}
      </h3>
      <dl className="facts">
        <dt>{t('status')}</dt>
        <dd>{statusBadge(t, line.status)}</dd>
        <dt>{t('currentPlan')}</dt>
        <dd>
          {line.planId === null
            ? t('noPlan')
            : plan === undefined
              ? t('unknownPlan')
              : `${plan.name} · ${feeText(plan)}`}
        </dd>
        <dt>{t('addons')}</dt>
        <dd>
          {addons.isPending ? (
            <Loading />
          ) : addons.isError ? (
            <ErrorState error={addons.error} onRetry={() => void addons.refetch()} />
          ) : addons.data.length === 0 ? (
            t('noAddons')
          ) : (
            <ul className="plain-list">
              {addons.data.map((id) => {
                const addon = plans.find((p) => p.id === id);
                const name = addon?.name ?? t('unknownPlan');
                return (
                  <li key={id}>
                    {name}
                    {addon === undefined ? null : ` · ${feeText(addon)}`}{' '}
                    {line.status === 'active' && addon !== undefined ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-label={t('removeAddonOf', { addon: name, line: label })}
                        onClick={() => onAsk({ kind: 'addon_removed', line, plan: addon })}
                      >
                        {t('removeAddon')}
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </dd>
      </dl>
      {line.status === 'active' ? (
        <p>
          <button
            type="button"
            className="button secondary"
            aria-label={t('pauseOf', { line: label })}
            onClick={() => onAsk({ kind: 'paused', line })}
          >
            {t('pause')}
          </button>
        </p>
      ) : line.status === 'paused' ? (
        <p>
          <button
            type="button"
            className="button primary"
            aria-label={t('resumeOf', { line: label })}
            onClick={() => onAsk({ kind: 'resumed', line })}
          >
            {t('resume')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** Plan amounts as written in the catalog ("300m", "5GB", "100") in the customer's words. */
export function planAllowanceText(
  q: QuantityFormats,
  service: string,
  amount: string,
  currency: string,
): string {
  if (service === 'money') return q.allowance(currency, amount);
  const duration = /^(\d+)\s*(s|m|min|h)$/i.exec(amount);
  if (duration !== null) {
    const factor = { s: 1, m: 60, min: 60, h: 3600 }[
      (duration[2] ?? 's').toLowerCase() as 's' | 'm' | 'min' | 'h'
    ];
    return q.allowance('seconds', Number(duration[1]) * factor);
  }
  const volume = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(amount);
  if (volume !== null) {
    const unit = (volume[2] ?? 'B').toUpperCase();
    const factors: Record<string, number> = {
      B: 1,
      KB: 1e3,
      MB: 1e6,
      GB: 1e9,
      TB: 1e12,
      KIB: 2 ** 10,
      MIB: 2 ** 20,
      GIB: 2 ** 30,
      TIB: 2 ** 40,
    };
    return q.allowance('bytes', Number(volume[1]) * (factors[unit] ?? 1));
  }
  if (/^\d+$/.test(amount))
    return service === 'sms' || service === 'mms'
      ? q.allowance('messages', amount)
      : service === 'voice' || service === 'call'
        ? q.allowance('seconds', Number(amount) * 60)
        : q.allowance('units', amount);
  return amount;
}

/** The base plans side by side: a column per plan, a row per fee and included service. */
function ComparePlans({
  plans,
  line,
  onAsk,
}: {
  plans: readonly PlanOffer[];
  line: Subscription | undefined;
  onAsk: (request: ChangeRequest) => void;
}) {
  const t = useMessages(planTexts);
  const q = useQuantities();
  const feeText = useFeeText();
  const baseId = useId();
  if (plans.length === 0) return <Empty>{t('noPlans')}</Empty>;
  const services = [...new Set(plans.flatMap((plan) => plan.allowances.map((a) => a.service)))];
  const headerId = (plan: PlanOffer) => `${baseId}-${plan.id}`;
  return (
    <div className="card">
      <div className="table-wrap">
        <table className="data compare">
          <caption className="visually-hidden">{t('compare')}</caption>
          <thead>
            <tr>
              <td />
              {plans.map((plan) => (
                <th
                  key={plan.id}
                  id={headerId(plan)}
                  scope="col"
                  className={plan.id === line?.planId ? 'current' : undefined}
                >
                  {plan.name}
                  {plan.id === line?.planId ? (
                    <>
                      {' '}
                      <span className="badge ok">{t('yourPlan')}</span>
                    </>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('fee')}</th>
              {plans.map((plan) => (
                <td key={plan.id}>{feeText(plan)}</td>
              ))}
            </tr>
            {services.map((service) => (
              <tr key={service}>
                <th scope="row">{q.service(service)}</th>
                {plans.map((plan) => {
                  const included = plan.allowances.filter((a) => a.service === service);
                  return (
                    <td key={plan.id}>
                      {included.length === 0
                        ? t('nothingIncluded')
                        : included
                            .map((a) => planAllowanceText(q, service, a.amount, plan.currency))
                            .join(' + ')}
                    </td>
                  );
                })}
              </tr>
            ))}
            {line === undefined ? null : (
              <tr>
                <td />
                {plans.map((plan) => (
                  <td key={plan.id}>
                    {plan.id === line.planId ? (
                      <span className="figure-note">{t('yourPlan')}</span>
                    ) : (
                      <button
                        type="button"
                        className="button primary"
                        aria-describedby={headerId(plan)}
                        disabled={line.status !== 'active'}
                        onClick={() => onAsk({ kind: 'plan_changed', line, plan })}
                      >
                        {t('changePlan')}
                      </button>
                    )}
                  </td>
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function AddonsOffered({
  plans,
  line,
  onAsk,
}: {
  plans: readonly PlanOffer[];
  line: Subscription | undefined;
  onAsk: (request: ChangeRequest) => void;
}) {
  const t = useMessages(planTexts);
  const q = useQuantities();
  const feeText = useFeeText();
  const addons = useLineAddons(line?.id);
  const has = new Set(line === undefined ? [] : (addons.data ?? []));
  return (
    <Card title={t('addonsOffered')}>
      {plans.length === 0 ? (
        <Empty>{t('noAddonsOffered')}</Empty>
      ) : (
        <ul className="offer-list">
          {plans.map((plan) => (
            <li key={plan.id} className="offer-item">
              <div>
                <strong>{plan.name}</strong> · {feeText(plan)}
                {plan.allowances.length > 0 ? (
                  <div className="figure-note">
                    {plan.allowances
                      .map(
                        (a) =>
                          planAllowanceText(q, a.service, a.amount, plan.currency) +
                          ` · ${q.service(a.service)}`,
                      )
                      .join(', ')}
                  </div>
                ) : null}
              </div>
              {line === undefined ? null : has.has(plan.id) ? (
                <span className="badge ok">{t('onLine')}</span>
              ) : (
                <button
                  type="button"
                  className="button secondary"
                  aria-label={t('addAddonOf', { addon: plan.name, line: lineLabel(line) })}
                  disabled={line.status !== 'active' || addons.data === undefined}
                  onClick={() => onAsk({ kind: 'addon_added', line, plan })}
                >
                  {t('addAddon')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/**
 * What a plan change does to the next invoice (POST /v1/subscriptions/:id/plan-change-preview):
 * the current plan's fee for the rest of the cycle taken back (credit, negative), the new plan's
 * fee for the same days (charge), and the sum of both (net).
 */
interface PlanChangePreview {
  readonly currency: string;
  readonly effectiveDate: string;
  readonly cycle: { readonly start: string; readonly end: string; readonly days: number };
  readonly credit: string;
  readonly charge: string;
  readonly net: string;
}

function PlanPreview({ request }: { request: ChangeRequest }) {
  const t = useMessages(planTexts);
  const f = useLocale();
  const planId = request.plan?.id ?? '';
  const preview = useQuery({
    queryKey: ['plan-change-preview', request.line.id, planId],
    queryFn: ({ signal }) =>
      api<PlanChangePreview>(`/v1/subscriptions/${request.line.id}/plan-change-preview`, {
        body: { planId },
        signal,
      }),
    retry: false,
    staleTime: 0,
  });
  if (preview.isPending) return <Loading label={t('previewLoading')} />;
  if (preview.isError)
    return isMissingRoute(preview.error) ? (
      <p className="figure-note">{t('previewUnavailable')}</p>
    ) : (
      <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
    );
  const { credit, charge, net, currency, effectiveDate, cycle } = preview.data;
  const show = (amount: string) => money(f, amount.replace(/^-/, ''), currency);
  return (
    <>
      <p className="figure-note">
        {t('previewPeriod', { from: date(f, effectiveDate), to: date(f, cycle.end) })}
      </p>
      <dl className="facts">
        <dt>{t('previewCredit')}</dt>
        <dd>− {show(credit)}</dd>
        <dt>{t('previewCharge', { plan: request.plan?.name ?? '' })}</dt>
        <dd>{show(charge)}</dd>
        <dt>{t('previewNet')}</dt>
        <dd>
          <strong>
            {toMicros(net) < 0n ? t('previewNetCredit', { amount: show(net) }) : money(f, net, currency)}
          </strong>
        </dd>
      </dl>
    </>
  );
}

function ChangeDialog({
  request,
  onClose,
  onDone,
}: {
  request: ChangeRequest | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const t = useMessages(planTexts);
  const feeText = useFeeText();
  const client = useQueryClient();
  const { account } = usePortal();
  const attempt = useAttemptKey();
  const change = useMutation({
    mutationFn: (body: { kind: ChangeKind; planId?: string; addonPlanId?: string; line: string }) => {
      const { line, ...payload } = body;
      return api<unknown>(`/v1/subscriptions/${line}/changes`, {
        body: payload,
        idempotencyKey: attempt.keyFor(body),
      });
    },
    onError: (error) => {
      if (certainlyRefused(error)) attempt.settle();
    },
    onSuccess: async (_result, body) => {
      attempt.settle();
      await Promise.all([
        client.invalidateQueries({ queryKey: ['me', 'accounts'] }),
        client.invalidateQueries({ queryKey: ['subscription', body.line] }),
        client.invalidateQueries({ queryKey: ['account', account.id] }),
      ]);
      if (request !== null) onDone(doneText(t, request));
    },
  });
  if (request === null)
    return (
      <Dialog open={false} title="" closeLabel={t('close')} onClose={onClose}>
        {null}
      </Dialog>
    );
  const line = lineLabel(request.line);
  const plan = request.plan;
  const title =
    request.kind === 'plan_changed'
      ? t('changeTitle', { line, plan: plan?.name ?? '' })
      : request.kind === 'addon_added'
        ? t('addAddonTitle', { addon: plan?.name ?? '', line })
        : request.kind === 'addon_removed'
          ? t('removeAddonTitle', { addon: plan?.name ?? '', line })
          : request.kind === 'paused'
            ? t('pauseTitle', { line })
            : t('resumeTitle', { line });
  const confirm = () => {
    const body =
      request.kind === 'plan_changed'
        ? { kind: request.kind, planId: plan?.id ?? '', line: request.line.id }
        : request.kind === 'addon_added' || request.kind === 'addon_removed'
          ? { kind: request.kind, addonPlanId: plan?.id ?? '', line: request.line.id }
          : { kind: request.kind, line: request.line.id };
    change.mutate(body);
  };
  return (
    <Dialog
      open
      title={title}
      closeLabel={t('close')}
      onClose={() => {
        change.reset();
        onClose();
      }}
    >
      <div className="form">
        {request.kind === 'plan_changed' ? <PlanPreview request={request} /> : null}
        <p>
          {request.kind === 'plan_changed'
            ? t('changeNow')
            : request.kind === 'addon_added'
              ? t('addAddonText', { fee: plan === undefined ? '' : feeText(plan) })
              : request.kind === 'addon_removed'
                ? t('removeAddonText')
                : request.kind === 'paused'
                  ? t('pauseText')
                  : t('resumeText')}
        </p>
        <FormMessage error={change.isError ? errorText(change.error) : undefined} />
        <div className="form-row">
          <button type="button" className="button primary" disabled={change.isPending} onClick={confirm}>
            {change.isPending ? t('confirming') : t('confirm')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              change.reset();
              onClose();
            }}
          >
            {t('cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function doneText(t: Translate<PlanKey>, request: ChangeRequest): string {
  const line = lineLabel(request.line);
  const name = request.plan?.name ?? '';
  switch (request.kind) {
    case 'plan_changed':
      return t('changed', { line, plan: name });
    case 'addon_added':
      return t('addonAdded', { addon: name, line });
    case 'addon_removed':
      return t('addonRemoved', { addon: name, line });
    case 'paused':
      return t('paused', { line });
    case 'resumed':
      return t('resumed', { line });
  }
}
