import { type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type Page as ApiPage, api } from '../api/client.js';
import { type Account, lineLabel } from '../api/types.js';
import { date, dateTime, money, num } from '../i18n/format.js';
import { type Translate, useLocale, useMessages } from '../i18n/messages.js';
import { fromMicros, isPositive, sumDecimals } from '../ui/exact-decimal.js';
import { FormMessage } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { ProgressBar } from '../ui/progress-bar.js';
import { Empty, ErrorState, Loading } from '../ui/query-view.js';
import { today } from './account-days.js';
import {
  type CycleAlert,
  type CycleAllowance,
  type CycleOverview,
  useCycleOverview,
} from './cycle-overview.js';
import { dashboardTexts } from './dashboard-texts.js';
import { InvoiceStatusBadge, isPayable } from './invoice-status.js';
import { invoiceTexts } from './invoice-texts.js';
import { useMyInvoices } from './my-invoices.js';
import { type AccountBalance, errorText, isMissingRoute, type PortalMessage } from './portal-api.js';
import { useAccountLines, usePortal } from './portal-context.js';
import { useQuantities } from './quantity-format.js';
import { RecommendationTeaser } from './recommendation-card.js';

type DashboardKey = keyof (typeof dashboardTexts)['en'];

/**
 * The customer's first screen: money (balance or what is owed), the bill cycle so far with its
 * estimate, allowances per line, what needs attention, and the latest invoice.
 */
export function DashboardPage() {
  const t = useMessages(dashboardTexts);
  const { account } = usePortal();
  const overview = useCycleOverview(account.id);
  const balance = useQuery({
    queryKey: ['account', account.id, 'balance'],
    queryFn: ({ signal }) => api<AccountBalance>(`/v1/accounts/${account.id}/balance`, { signal }),
  });
  const kind =
    account.kind === 'prepaid'
      ? t('kindPrepaid')
      : account.kind === 'postpaid'
        ? t('kindPostpaid')
        : t('kindHybrid');
  return (
    <Page title={t('title')}>
      <p className="figure-note">
        {t('account', { number: account.accountNumber })} · {kind}
      </p>
      <div className="grid">
        {account.kind !== 'postpaid' ? <BalanceCard balance={balance} /> : null}
        {account.kind !== 'prepaid' ? <OwedCard account={account} overview={overview.data} /> : null}
        <CycleCard overview={overview} />
        <LatestInvoiceCard account={account} />
        <Recommendations />
      </div>
      <AllowancesCard overview={overview} balance={balance.data} />
      <AlertsCard account={account} overview={overview.data} overviewFailed={overview.isError} />
    </Page>
  );
}

/** A cheaper plan per line, when one would have cost less (nothing otherwise, and nothing on failure). */
function Recommendations() {
  const lines = useAccountLines().filter((line) => line.status === 'active');
  return (
    <>
      {lines.map((line) => (
        <RecommendationTeaser key={line.id} line={line} named={lines.length > 1} />
      ))}
    </>
  );
}

function BalanceCard({ balance }: { balance: UseQueryResult<AccountBalance> }) {
  const t = useMessages(dashboardTexts);
  const f = useLocale();
  return (
    <Card title={t('balance')}>
      {balance.isPending ? (
        <Loading />
      ) : balance.isError ? (
        <ErrorState error={balance.error} onRetry={() => void balance.refetch()} />
      ) : (
        <>
          <p className="figure-note">{t('available')}</p>
          <p className="figure">
            {balance.data.availableToSpend === null
              ? t('noLimit')
              : money(f, balance.data.availableToSpend, balance.data.currency)}
          </p>
          {balance.data.availableToSpend !== balance.data.mainBalance ? (
            <p className="figure-note">
              {t('mainBalance', { amount: money(f, balance.data.mainBalance, balance.data.currency) })}
            </p>
          ) : null}
          <p>
            <Link className="button secondary" to="/portal/payments#top-up">
              {t('topUp')}
            </Link>
          </p>
        </>
      )}
    </Card>
  );
}

/** Postpaid money: what open invoices ask for, what the cycle has added, and the credit limit. */
function OwedCard({ account, overview }: { account: Account; overview: CycleOverview | undefined }) {
  const t = useMessages(dashboardTexts);
  const f = useLocale();
  const invoices = useMyInvoices(account.id, 10);
  const open = (invoices.data?.pages[0]?.items ?? []).filter(isPayable);
  const owed = invoices.data === undefined ? null : sumDecimals(open.map((i) => i.amountDue));
  const creditLimit = overview?.balance.creditLimit ?? account.creditLimit;
  return (
    <Card title={t('credit')}>
      {owed === null ? (
        invoices.isPending ? (
          <Loading />
        ) : (
          <p className="state">{t('invoicesUnavailable')}</p>
        )
      ) : (
        <>
          <p className="figure-note">{t('owed')}</p>
          <p className="figure">{money(f, owed, account.currency)}</p>
          {isPositive(owed) ? null : <p className="figure-note">{t('owedNone')}</p>}
        </>
      )}
      {overview === undefined ? null : (
        <p className="figure-note">
          {t('unbilled', { amount: money(f, overview.spend.total, overview.currency) })}
        </p>
      )}
      <p className="figure-note">
        {creditLimit === null
          ? t('noCreditLimit')
          : t('creditLimit', { amount: money(f, creditLimit, account.currency) })}
      </p>
      {owed !== null && isPositive(owed) ? (
        <p>
          <Link className="button primary" to="/portal/payments">
            {t('payInvoices')}
          </Link>
        </p>
      ) : null}
    </Card>
  );
}

function CycleCard({ overview }: { overview: ReturnType<typeof useCycleOverview> }) {
  const t = useMessages(dashboardTexts);
  const f = useLocale();
  if (overview.isPending)
    return (
      <Card title={t('cycle')}>
        <Loading />
      </Card>
    );
  if (overview.isError)
    return (
      <Card title={t('cycle')}>
        {isMissingRoute(overview.error) ? (
          <p className="state">{t('cycleUnavailable')}</p>
        ) : (
          <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
        )}
      </Card>
    );
  const { cycle, spend, estimate, currency } = overview.data;
  const daysLeft = Math.max(0, cycle.daysTotal - cycle.daysElapsed);
  return (
    <Card title={t('cycle')}>
      <p className="figure-note">
        {t('cycleDates', { start: date(f, cycle.start), end: date(f, cycle.end) })} ·{' '}
        {daysLeft === 0 ? t('lastDay') : t('daysLeft', { days: num(f, daysLeft) })}
      </p>
      <ProgressBar
        label={t('cycleProgress')}
        value={cycle.daysElapsed}
        max={cycle.daysTotal}
        text={t('cycleProgressText', { elapsed: num(f, cycle.daysElapsed), total: num(f, cycle.daysTotal) })}
      />
      <p className="figure-note">{t('spendSoFar')}</p>
      <p className="figure">{money(f, spend.total, currency)}</p>
      <p>
        <strong>{t('estimate', { amount: money(f, estimate.total, currency) })}</strong>
      </p>
      <p className="figure-note">{t('usageSoFar', { amount: money(f, spend.usage, currency) })}</p>
      <p className="figure-note">{t('recurring', { amount: money(f, spend.recurring, currency) })}</p>
      {overview.data.recurringFees.length > 0 ? (
        <ul className="plain-list fee-list">
          {overview.data.recurringFees.map((fee) => (
            <li key={`${fee.subscriptionId}-${fee.label}`} className="figure-note">
              {t('feeLine', { plan: fee.label, line: fee.line, amount: money(f, fee.amount, currency) })}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

/**
 * Allowances per line: used of granted, from the cycle overview; without it, what is left in the
 * balance's allowance buckets (the granted size is not known there, so no bar).
 */
function AllowancesCard({
  overview,
  balance,
}: {
  overview: ReturnType<typeof useCycleOverview>;
  balance: AccountBalance | undefined;
}) {
  const t = useMessages(dashboardTexts);
  const f = useLocale();
  const q = useQuantities();
  const lines = useAccountLines();
  const lineName = (id: string | null, known?: string | null) => {
    if (id === null) return t('allLines');
    const line = lines.find((l) => l.id === id);
    return line === undefined ? (known ?? id.slice(0, 8)) : lineLabel(line);
  };
  if (overview.isPending)
    return (
      <Card title={t('allowances')}>
        <Loading />
      </Card>
    );
  const allowances = overview.data?.allowances;
  if (allowances !== undefined) {
    const groups = groupBy(allowances, (a) => a.subscriptionId);
    return (
      <Card title={t('allowances')}>
        {allowances.length === 0 ? (
          <Empty>{t('noAllowances')}</Empty>
        ) : (
          <div className="allowance-groups">
            {[...groups].map(([subscriptionId, items]) => (
              <section key={subscriptionId ?? 'all'} className="allowance-group">
                <h3 className="allowance-line">{lineName(subscriptionId, items[0]?.line)}</h3>
                {items.map((allowance) => (
                  <AllowanceBar key={allowance.bucketId} allowance={allowance} />
                ))}
              </section>
            ))}
          </div>
        )}
      </Card>
    );
  }
  const buckets = balance?.buckets.filter((b) => b.kind === 'allowance') ?? [];
  const groups = groupBy(buckets, (b) => b.subscriptionId);
  return (
    <Card title={t('allowances')}>
      {buckets.length === 0 ? (
        <Empty>{t('noAllowances')}</Empty>
      ) : (
        <div className="allowance-groups">
          {[...groups].map(([subscriptionId, items]) => (
            <section key={subscriptionId ?? 'all'} className="allowance-group">
              <h3 className="allowance-line">{lineName(subscriptionId)}</h3>
              <ul className="plain-list">
                {items.map((bucket) => (
                  <li key={bucket.id}>
                    {t('allowanceLeft', {
                      service: bucket.label ?? q.service(bucket.service ?? bucket.unit),
                      left: q.left(q.allowance(bucket.unit, bucket.available ?? bucket.balance)),
                    })}
                    {bucket.validTo === null
                      ? null
                      : ` (${t('validUntil', { date: date(f, bucket.validTo) })})`}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </Card>
  );
}

/** One allowance: used of granted (money allowances count micro-units, shown as money). */
function AllowanceBar({ allowance }: { allowance: CycleAllowance }) {
  const t = useMessages(dashboardTexts);
  const q = useQuantities();
  const isMoney = /^[A-Z]{3}$/.test(allowance.unit);
  const show = (value: string) => q.allowance(allowance.unit, isMoney ? fromMicros(BigInt(value)) : value);
  const used = show(allowance.used);
  const total = show(allowance.total);
  return (
    <ProgressBar
      label={allowance.label ?? (allowance.service === null ? t('anyService') : q.service(allowance.service))}
      value={Number(allowance.used)}
      max={Number(allowance.total)}
      text={q.usedOf(used, total)}
    />
  );
}

function LatestInvoiceCard({ account }: { account: Account }) {
  const t = useMessages(dashboardTexts);
  const ti = useMessages(invoiceTexts);
  const f = useLocale();
  const invoices = useMyInvoices(account.id, 10);
  const latest = invoices.data?.pages[0]?.items.find((i) => i.kind === 'invoice');
  return (
    <Card title={t('latestInvoice')}>
      {invoices.isPending ? (
        <Loading />
      ) : invoices.isError ? (
        isMissingRoute(invoices.error) ? (
          <p className="state">{t('invoicesUnavailable')}</p>
        ) : (
          <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
        )
      ) : latest === undefined ? (
        <Empty>{t('noInvoice')}</Empty>
      ) : (
        <>
          <p className="figure">{money(f, latest.total, latest.currency)}</p>
          <p>
            <InvoiceStatusBadge invoice={latest} todayIso={today(account.timeZone)} />{' '}
            {latest.periodFrom !== null && latest.periodTo !== null
              ? ti('periodRange', { from: date(f, latest.periodFrom), to: date(f, latest.periodTo) })
              : null}
          </p>
          {isPayable(latest) && latest.dueOn !== null ? (
            <p className="figure-note">
              {ti('amountDue')}: {money(f, latest.amountDue, latest.currency)} ·{' '}
              {ti('dueOn', { date: date(f, latest.dueOn) })}
            </p>
          ) : null}
          <p className="card-links">
            <Link to={`/portal/invoices/${latest.id}`}>
              {ti('view')} {latest.number ?? ''}
            </Link>
            <Link to="/portal/invoices">{t('allInvoices')}</Link>
          </p>
        </>
      )}
    </Card>
  );
}

/** Unread portal messages (each can be marked read) and the thresholds this cycle crossed. */
function AlertsCard({
  account,
  overview,
  overviewFailed,
}: {
  account: Account;
  overview: CycleOverview | undefined;
  overviewFailed: boolean;
}) {
  const t = useMessages(dashboardTexts);
  const f = useLocale();
  const client = useQueryClient();
  const lines = useAccountLines();
  const messages = useQuery({
    queryKey: ['me', 'messages', 'unread'],
    queryFn: ({ signal }) => api<ApiPage<PortalMessage>>('/v1/me/messages?unread=true&limit=5', { signal }),
  });
  const firings = useQuery({
    queryKey: ['account', account.id, 'firings'],
    queryFn: ({ signal }) =>
      api<ApiPage<FiringItem>>(`/v1/accounts/${account.id}/notification-firings?limit=5`, { signal }),
    // The overview lists the cycle's alerts; without it, the account's latest firings stand in.
    enabled: overviewFailed,
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api<PortalMessage>(`/v1/me/messages/${id}/read`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['me', 'messages'] }),
  });
  const alerts: readonly CycleAlert[] = overview?.alerts ?? firings.data?.items ?? [];
  const ownMessages = (messages.data?.items ?? []).filter(
    (m) => m.accountId === null || m.accountId === account.id,
  );
  const lineName = (id: string | null) => {
    const line = lines.find((l) => l.id === id);
    return line === undefined ? null : lineLabel(line);
  };
  return (
    <Card title={t('alerts')}>
      {messages.isPending ? (
        <Loading />
      ) : messages.isError ? (
        <ErrorState error={messages.error} onRetry={() => void messages.refetch()} />
      ) : ownMessages.length === 0 && alerts.length === 0 ? (
        <Empty>{t('noAlerts')}</Empty>
      ) : (
        <ul className="alert-list">
          {ownMessages.map((message) => (
            <li key={message.id} className="alert-item">
              <p className="alert-text">{message.text}</p>
              <p className="figure-note">
                {dateTime(f, message.createdAt)}{' '}
                <button
                  type="button"
                  className="link-button"
                  disabled={markRead.isPending}
                  aria-label={t('markReadOf', { text: message.text.slice(0, 60) })}
                  onClick={() => markRead.mutate(message.id)}
                >
                  {t('markRead')}
                </button>
              </p>
            </li>
          ))}
          {alerts.map((alert) => {
            const line = lineName(alert.subscriptionId);
            return (
              <li key={`alert-${alert.id}`} className="alert-item">
                <p className="alert-text">
                  <span className="badge warn">!</span> {alertText(t, alert, account.currency, f)}
                  {line === null ? null : ` (${t('onLine', { line })})`}
                </p>
                <p className="figure-note">{dateTime(f, alert.firedAt)}</p>
              </li>
            );
          })}
        </ul>
      )}
      {markRead.isError ? <FormMessage error={errorText(markRead.error)} /> : null}
    </Card>
  );
}

interface FiringItem {
  readonly id: string;
  readonly kind: string;
  readonly subscriptionId: string | null;
  readonly level: string;
  readonly firedAt: string;
}

/** A threshold in words; levels are percentages, micro-units of money or factors by kind. */
function alertText(
  t: Translate<DashboardKey>,
  alert: CycleAlert,
  currency: string,
  f: ReturnType<typeof useLocale>,
): string {
  const level = alert.level;
  const amount = () => (/^\d+$/.test(level) ? money(f, fromMicros(BigInt(level)), currency) : level);
  switch (alert.kind) {
    case 'allowance_used':
      return t('alertAllowance', { level: num(f, level) });
    case 'credit_used':
      return t('alertCredit', { level: num(f, level) });
    case 'cycle_spend':
      return t('alertCycleSpend', { amount: amount() });
    case 'balance_below':
    case 'balance_low':
      return t('alertBalance', { amount: amount() });
    case 'roaming_first_use':
      return t('alertRoaming');
    case 'unusual_usage':
      return t('alertUnusual', { level: num(f, level, 1) });
    case 'spending_cap':
    case 'spending_cap_reached':
      return t('alertCap');
    default:
      return t('alertOther', { kind: alert.kind.replace(/_/g, ' ') });
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
