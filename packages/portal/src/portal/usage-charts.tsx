import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { bytes, date, type Formats, money, num } from '../i18n/format.js';
import { useLocale, useMessages } from '../i18n/messages.js';
import { type Column, DataFigure, SimpleTable } from '../ui/data-figure.js';
import { compareDecimals, sumDecimals } from '../ui/exact-decimal.js';
import { SelectField } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { useQuantities } from './quantity-format.js';
import type { DestinationTotal, UsageBucket, UsageSummary } from './usage-summary.js';
import { usageTexts } from './usage-texts.js';

const BRAND = '#0b5cad';
const ACCENT = '#1d7a3e';
const CHART_HEIGHT = 240;

/** The unit a service counts in, from the summary, else from its usual name. */
function unitOf(summary: UsageSummary, service: string): string {
  const known = summary.services.find((s) => s.service === service)?.unit;
  if (known !== undefined) return known;
  if (service === 'data') return 'bytes';
  if (service === 'sms' || service === 'mms') return 'messages';
  if (service === 'call' || service === 'voice') return 'seconds';
  return 'units';
}

/** A quantity as the chart draws it: minutes, megabytes or a count (Number only for bar heights). */
function chartValue(unit: string, quantity: string | undefined): number {
  const value = Number(quantity ?? '0');
  if (unit === 'seconds') return value / 60;
  if (unit === 'bytes') return value / 1_000_000;
  return value;
}

/** An hour of the day as the locale writes a time ("14:00", "2:00 PM"). */
function clockHour(f: Formats, hour: number): string {
  return new Intl.DateTimeFormat(f.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    Date.UTC(2000, 0, 1, hour),
  );
}

/** The day with the most of something; undefined for an empty list. */
function peakOf<T>(items: readonly T[], measure: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || measure(item) > measure(best)) best = item;
  return best;
}

/**
 * The period at a glance: spend and usage per day, per hour of the day, the top destinations and
 * the data trend. Each chart is one image with a sentence that sums it up, and its figures in a
 * table beside it (DataFigure), so nothing is said by the drawing alone.
 */
export function UsageCharts({
  summary,
  range,
}: {
  summary: UsageSummary;
  range: { from: string; to: string };
}) {
  const t = useMessages(usageTexts);
  const f = useLocale();
  const q = useQuantities();
  const services = summary.services.map((s) => s.service);
  const [chosen, setChosen] = useState<string | null>(null);
  const service = chosen !== null && services.includes(chosen) ? chosen : (services[0] ?? 'call');
  const unit = unitOf(summary, service);
  const currency = summary.currency;
  const moneyOf = (amount: string) => money(f, amount, currency);
  const dayLabel = (day: string) => date(f, day);

  const spendPeak = peakOf(summary.days, (d) => Number(d.amount));
  const usagePeak = peakOf(summary.days, (d) => Number(d.quantities[service] ?? '0'));
  const hourPeak = peakOf(summary.hours, (h) => h.count);
  const hourLabel = (hour: number) =>
    t('hourRange', { from: clockHour(f, hour), to: clockHour(f, (hour + 1) % 24) });

  const dayColumns: Column<UsageBucket<string>>[] = [
    { header: t('day'), cell: (d) => dayLabel(d.key) },
    { header: t('records'), numeric: true, cell: (d) => num(f, d.count) },
    ...services.map((s) => ({
      header: q.service(s),
      numeric: true,
      cell: (d: UsageBucket<string>) => q.usage(unitOf(summary, s), d.quantities[s] ?? '0'),
    })),
    { header: t('spend'), numeric: true, cell: (d) => moneyOf(d.amount) },
  ];

  return (
    <>
      <Card title={t('byService')}>
        <SimpleTable
          caption={t('byService')}
          rows={summary.services}
          rowKey={(s) => s.service}
          columns={[
            { header: t('service'), cell: (s) => q.service(s.service) },
            { header: t('records'), numeric: true, cell: (s) => num(f, s.records) },
            { header: t('quantity'), numeric: true, cell: (s) => q.usage(s.unit, s.quantity) },
            {
              header: t('fromAllowances'),
              numeric: true,
              cell: (s) => (s.allowanceQuantity === '0' ? '—' : q.usage(s.unit, s.allowanceQuantity)),
            },
            { header: t('spend'), numeric: true, cell: (s) => moneyOf(s.amount) },
          ]}
        />
      </Card>
      <div className="chart-grid">
        <Card>
          <DataFigure
            title={t('spendByDay')}
            summary={t('spendByDaySummary', {
              from: dayLabel(range.from),
              to: dayLabel(range.to),
              total: moneyOf(sumDecimals(summary.days.map((d) => d.amount))),
              peakDay: spendPeak === undefined ? '—' : dayLabel(spendPeak.key),
              peak: spendPeak === undefined ? '—' : moneyOf(spendPeak.amount),
            })}
            chart={
              <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                <BarChart
                  data={summary.days.map((d) => ({ day: d.key, spend: Number(d.amount), amount: d.amount }))}
                  accessibilityLayer={false}
                >
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(8)} />
                  <YAxis width={56} tickFormatter={(v: number) => num(f, v, 2)} />
                  <Tooltip
                    labelFormatter={(day) => dayLabel(String(day))}
                    formatter={(_value, _name, item) => [
                      moneyOf((item.payload as { amount: string }).amount),
                      t('spend'),
                    ]}
                  />
                  <Bar dataKey="spend" fill={BRAND} />
                </BarChart>
              </ResponsiveContainer>
            }
            tableLabel={t('showTable')}
            columns={dayColumns}
            rows={summary.days}
            rowKey={(d) => d.key}
          />
        </Card>
        <Card>
          {services.length > 1 ? (
            <SelectField label={t('service')} value={service} onChange={(e) => setChosen(e.target.value)}>
              {services.map((s) => (
                <option key={s} value={s}>
                  {q.service(s)}
                </option>
              ))}
            </SelectField>
          ) : null}
          <DataFigure
            title={`${t('usageByDay')}: ${q.service(service)}`}
            summary={t('usageByDaySummary', {
              service: q.service(service),
              total: q.usage(
                unit,
                String(summary.days.reduce((sum, d) => sum + Number(d.quantities[service] ?? '0'), 0)),
              ),
              peakDay: usagePeak === undefined ? '—' : dayLabel(usagePeak.key),
              peak: usagePeak === undefined ? '—' : q.usage(unit, usagePeak.quantities[service] ?? '0'),
            })}
            chart={
              <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                <BarChart
                  data={summary.days.map((d) => ({
                    day: d.key,
                    value: chartValue(unit, d.quantities[service]),
                    raw: d.quantities[service] ?? '0',
                  }))}
                  accessibilityLayer={false}
                >
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(8)} />
                  <YAxis width={56} tickFormatter={(v: number) => num(f, v, 1)} />
                  <Tooltip
                    labelFormatter={(day) => dayLabel(String(day))}
                    formatter={(_value, _name, item) => [
                      q.usage(unit, String((item.payload as { raw: string }).raw)),
                      q.service(service),
                    ]}
                  />
                  <Bar dataKey="value" fill={ACCENT} />
                </BarChart>
              </ResponsiveContainer>
            }
            tableLabel={t('showTable')}
            columns={[
              { header: t('day'), cell: (d: UsageBucket<string>) => dayLabel(d.key) },
              {
                header: q.service(service),
                numeric: true,
                cell: (d: UsageBucket<string>) => q.usage(unit, d.quantities[service] ?? '0'),
              },
            ]}
            rows={summary.days}
            rowKey={(d) => d.key}
          />
        </Card>
        {summary.hours.length > 0 ? (
          <Card>
            <DataFigure
              title={t('byHour')}
              summary={t('byHourSummary', {
                peakHour: hourPeak === undefined ? '—' : clockHour(f, hourPeak.key),
                peak: hourPeak === undefined ? '0' : num(f, hourPeak.count),
              })}
              chart={
                <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                  <BarChart
                    data={summary.hours.map((h) => ({ hour: h.key, count: h.count }))}
                    accessibilityLayer={false}
                  >
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="hour" tickFormatter={(h: number) => String(h).padStart(2, '0')} />
                    <YAxis width={40} allowDecimals={false} />
                    <Tooltip
                      labelFormatter={(h) => hourLabel(Number(h))}
                      formatter={(value) => [num(f, Number(value)), t('records')]}
                    />
                    <Bar dataKey="count" fill={BRAND} />
                  </BarChart>
                </ResponsiveContainer>
              }
              tableLabel={t('showTable')}
              columns={[
                { header: t('hour'), cell: (h: UsageBucket<number>) => hourLabel(h.key) },
                { header: t('records'), numeric: true, cell: (h: UsageBucket<number>) => num(f, h.count) },
                { header: t('spend'), numeric: true, cell: (h: UsageBucket<number>) => moneyOf(h.amount) },
              ]}
              rows={summary.hours}
              rowKey={(h) => String(h.key)}
            />
          </Card>
        ) : null}
        {summary.topDestinations.length > 0 ? (
          <Card>
            <TopDestinations destinations={summary.topDestinations} currency={currency} />
          </Card>
        ) : null}
        <Card>
          <DataTrend summary={summary} />
        </Card>
      </div>
    </>
  );
}

function TopDestinations({
  destinations,
  currency,
}: {
  destinations: readonly DestinationTotal[];
  currency: string;
}) {
  const t = useMessages(usageTexts);
  const f = useLocale();
  const sorted = [...destinations].sort((a, b) => compareDecimals(b.amount, a.amount));
  const first = sorted[0];
  const name = (d: DestinationTotal) =>
    d.destination === null
      ? t('otherDestination')
      : d.destination === '*any'
        ? t('anyDestination')
        : d.destination;
  return (
    <DataFigure
      title={t('topDestinations')}
      summary={t('topDestinationsSummary', {
        count: num(f, sorted.length),
        first: first === undefined ? '—' : name(first),
        amount: first === undefined ? '—' : money(f, first.amount, currency),
      })}
      chart={
        <ResponsiveContainer width="100%" height={Math.max(CHART_HEIGHT, sorted.length * 28)}>
          <BarChart
            layout="vertical"
            data={sorted.map((d) => ({
              destination: name(d),
              spend: Number(d.amount),
              amount: d.amount,
            }))}
            accessibilityLayer={false}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tickFormatter={(v: number) => num(f, v, 2)} />
            <YAxis type="category" dataKey="destination" width={110} />
            <Tooltip
              formatter={(_value, _name, item) => [
                money(f, (item.payload as { amount: string }).amount, currency),
                t('spend'),
              ]}
            />
            <Bar dataKey="spend" fill={BRAND} />
          </BarChart>
        </ResponsiveContainer>
      }
      tableLabel={t('showTable')}
      columns={[
        { header: t('destination'), cell: (d: DestinationTotal) => name(d) },
        { header: t('records'), numeric: true, cell: (d: DestinationTotal) => num(f, d.count) },
        { header: t('spend'), numeric: true, cell: (d: DestinationTotal) => money(f, d.amount, currency) },
      ]}
      rows={sorted}
      rowKey={(d) => d.destination ?? ''}
    />
  );
}

/** Data per day and the running total: whether the month's data will last. */
function DataTrend({ summary }: { summary: UsageSummary }) {
  const t = useMessages(usageTexts);
  const f = useLocale();
  const dataService = summary.services.find((s) => s.unit === 'bytes')?.service ?? 'data';
  let running = 0;
  const rows = summary.days.map((d) => {
    const used = Number(d.quantities[dataService] ?? '0');
    running += used;
    return { day: d.key, used, total: running };
  });
  if (running === 0)
    return (
      <>
        <h3 className="data-figure-title">{t('dataTrend')}</h3>
        <p className="state state-empty">{t('noData')}</p>
      </>
    );
  return (
    <DataFigure
      title={t('dataTrend')}
      summary={t('dataTrendSummary', { total: bytes(f, running) })}
      chart={
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <LineChart
            data={rows.map((r) => ({ day: r.day, used: r.used / 1e6, total: r.total / 1e6 }))}
            accessibilityLayer={false}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(8)} />
            <YAxis width={56} tickFormatter={(v: number) => bytes(f, v * 1e6)} />
            <Tooltip
              labelFormatter={(day) => date(f, String(day))}
              formatter={(value, name) => [
                bytes(f, Number(value) * 1e6),
                name === 'total' ? t('runningTotal') : t('dataUsed'),
              ]}
            />
            <Line type="monotone" dataKey="used" stroke={ACCENT} dot={false} strokeWidth={2} />
            <Line
              type="monotone"
              dataKey="total"
              stroke={BRAND}
              dot={false}
              strokeWidth={2}
              strokeDasharray="6 3"
            />
          </LineChart>
        </ResponsiveContainer>
      }
      tableLabel={t('showTable')}
      columns={[
        { header: t('day'), cell: (r: (typeof rows)[number]) => date(f, r.day) },
        { header: t('dataUsed'), numeric: true, cell: (r: (typeof rows)[number]) => bytes(f, r.used) },
        { header: t('runningTotal'), numeric: true, cell: (r: (typeof rows)[number]) => bytes(f, r.total) },
      ]}
      rows={rows}
      rowKey={(r) => r.day}
    />
  );
}
