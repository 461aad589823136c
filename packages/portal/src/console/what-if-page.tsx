import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import type { WhatIfFigures, WhatIfRequest, WhatIfResult } from '../api/types.js';
import { date, type Formats, money, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { toMicros } from '../ui/exact-decimal.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { Card, Page } from '../ui/page.js';
import { Empty } from '../ui/query-view.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { Plan } from './console-types.js';
import { fieldError } from './form-checks.js';
import { PlanVersionForm } from './plan-version-form.js';
import { useCan } from './staff-context.js';
import { type ReadTariff, readTariffFiles } from './tariff-file.js';
import { usePlans } from './use-plans.js';
import { useAllTariffs } from './use-tariffs.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface PlanDraft {
  readonly plan: Plan;
  readonly draft: Readonly<Record<string, unknown>>;
}

interface TariffDraft {
  readonly tariffId: string;
  readonly label: string;
  readonly fileName: string;
  readonly document: unknown;
}

/** The last whole calendar month in the browser's calendar, as the API's default period. */
function lastWholeMonth(now = new Date()): { from: string; to: string } {
  const first = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  const last = new Date(now.getFullYear(), now.getMonth(), 0);
  const iso = (day: Date) =>
    `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  return { from: iso(first), to: iso(last) };
}

/**
 * "What if": a plan's next version or a tariff's next file, priced against the real usage of a
 * past period (by default last month) before it is published. The server re-rates every affected
 * line with the drafts and stores nothing; the page shows the revenue change in total, per plan
 * and per customer segment.
 */
export function WhatIfPage() {
  const canRun = useCan('operator');
  return (
    <Page title="What if">
      {canRun ? (
        <WhatIf />
      ) : (
        <Empty>Operators and admins price draft plans and tariffs against past usage.</Empty>
      )}
    </Page>
  );
}

function WhatIf() {
  const defaults = lastWholeMonth();
  const [from, setFrom] = useState(defaults.from);
  const [to, setTo] = useState(defaults.to);
  const [plans, setPlans] = useState<readonly PlanDraft[]>([]);
  const [tariffs, setTariffs] = useState<readonly TariffDraft[]>([]);
  const [invalid, setInvalid] = useState<{ from?: string; to?: string; drafts?: string }>({});
  const run = useIdempotentMutation({
    mutationFn: (body: WhatIfRequest, idempotencyKey) =>
      api<WhatIfResult>('/v1/what-if', { body, idempotencyKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      ...(ISO_DATE.test(from) ? {} : { from: 'A date like 2026-01-01' }),
      ...(ISO_DATE.test(to) ? {} : { to: 'A date like 2026-01-31' }),
      ...(ISO_DATE.test(from) && ISO_DATE.test(to) && from > to
        ? { to: 'The end comes on or after the start' }
        : {}),
      ...(plans.length === 0 && tariffs.length === 0
        ? { drafts: 'Add a plan draft or a tariff draft first' }
        : {}),
    };
    setInvalid(problems);
    if (Object.keys(problems).length > 0) return;
    run.mutate({
      from,
      to,
      ...(plans.length === 0 ? {} : { plans: plans.map((p) => ({ planId: p.plan.id, draft: p.draft })) }),
      ...(tariffs.length === 0
        ? {}
        : { tariffs: tariffs.map((t) => ({ tariffId: t.tariffId, document: t.document })) }),
    });
  };
  return (
    <>
      <p className="hint">
        Draft a plan's next version or a tariff's next file, then price it against the real usage of a past
        period. Nothing is saved or published.
      </p>
      <div className="grid">
        <PlanDraftCard
          drafts={plans}
          onAdd={(draft) => setPlans((all) => [...all.filter((p) => p.plan.id !== draft.plan.id), draft])}
          onRemove={(planId) => setPlans((all) => all.filter((p) => p.plan.id !== planId))}
        />
        <TariffDraftCard
          drafts={tariffs}
          onAdd={(draft) => setTariffs((all) => [...all.filter((t) => t.tariffId !== draft.tariffId), draft])}
          onRemove={(tariffId) => setTariffs((all) => all.filter((t) => t.tariffId !== tariffId))}
        />
      </div>
      <Card title="Price the drafts">
        <form className="form" onSubmit={submit} noValidate aria-label="Price the drafts">
          <div className="form-row">
            <Field
              label="Usage from"
              type="date"
              required
              value={from}
              onChange={(event) => setFrom(event.target.value)}
              error={invalid.from ?? fieldError(run.error, 'from')}
            />
            <Field
              label="Usage to"
              type="date"
              hint="Inclusive; the default is last month"
              required
              value={to}
              onChange={(event) => setTo(event.target.value)}
              error={invalid.to ?? fieldError(run.error, 'to')}
            />
          </div>
          {invalid.drafts === undefined ? null : <p className="error-text">{invalid.drafts}</p>}
          <FormMessage error={errorText(run.error)} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={run.isPending}>
              {run.isPending ? 'Pricing…' : 'Run what-if'}
            </button>
          </div>
        </form>
      </Card>
      {run.data === undefined ? null : <WhatIfResults result={run.data} />}
    </>
  );
}

function PlanDraftCard({
  drafts,
  onAdd,
  onRemove,
}: {
  drafts: readonly PlanDraft[];
  onAdd: (draft: PlanDraft) => void;
  onRemove: (planId: string) => void;
}) {
  const plans = usePlans();
  const [planId, setPlanId] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const choices = (plans.data?.items ?? []).filter((p) => p.current !== null);
  const plan = choices.find((p) => p.id === planId);
  return (
    <Card title="Plan drafts">
      <DraftList
        items={drafts.map((d) => ({ id: d.plan.id, label: `${d.plan.name} (${d.plan.code}): next version` }))}
        onRemove={onRemove}
        empty="No plan draft yet."
      />
      <FormMessage success={notice} />
      <SelectField
        label="Plan to draft"
        value={planId}
        onChange={(event) => {
          setNotice(undefined);
          setPlanId(event.target.value);
        }}
      >
        <option value="">{plans.isPending ? 'Loading plans…' : 'Choose a plan'}</option>
        {choices.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.code})
          </option>
        ))}
      </SelectField>
      {plan === undefined ? null : (
        <PlanVersionForm
          key={plan.id}
          plan={plan}
          onDone={() => {}}
          draft={{
            submitLabel: 'Use this plan draft',
            onDraft: (draft) => {
              onAdd({ plan, draft });
              setPlanId('');
              setNotice(`Draft of ${plan.name} added.`);
            },
          }}
        />
      )}
    </Card>
  );
}

function TariffDraftCard({
  drafts,
  onAdd,
  onRemove,
}: {
  drafts: readonly TariffDraft[];
  onAdd: (draft: TariffDraft) => void;
  onRemove: (tariffId: string) => void;
}) {
  const f = useLocale();
  const tariffs = useAllTariffs();
  const [tariffId, setTariffId] = useState('');
  const [fileName, setFileName] = useState('');
  const [read, setRead] = useState<ReadTariff | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [formKey, setFormKey] = useState(0);
  const choose = async (files: readonly File[]) => {
    setProblem(undefined);
    setFileName(files.map((file) => file.name).join(', '));
    setRead(files.length === 0 ? null : await readTariffFiles(f, files));
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tariff = tariffs.data?.items.find((t) => t.id === tariffId);
    if (tariff === undefined) {
      setProblem('Choose the tariff the file is a draft of');
      return;
    }
    if (read?.upload == null) {
      setProblem('Choose a tariff file that reads');
      return;
    }
    if (read.upload.format !== 'native') {
      setProblem(
        'What-if prices a native tariff document (.json); convert a CGRateS plan with the CLI first',
      );
      return;
    }
    onAdd({ tariffId, label: `${tariff.name} (${tariff.code})`, fileName, document: read.upload.document });
    setTariffId('');
    setRead(null);
    setFileName('');
    setFormKey((k) => k + 1);
  };
  return (
    <Card title="Tariff drafts">
      <DraftList
        items={drafts.map((d) => ({ id: d.tariffId, label: `${d.label}: ${d.fileName}` }))}
        onRemove={onRemove}
        empty="No tariff draft yet."
      />
      <form key={formKey} className="form" onSubmit={add} noValidate aria-label="Tariff draft">
        <SelectField
          label="Tariff to draft"
          value={tariffId}
          onChange={(event) => setTariffId(event.target.value)}
        >
          <option value="">{tariffs.isPending ? 'Loading tariffs…' : 'Choose a tariff'}</option>
          {tariffs.data?.items.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.code})
            </option>
          ))}
        </SelectField>
        <Field
          label="Draft tariff file"
          type="file"
          accept=".json,application/json"
          hint="A native tariff document (.json), as imported"
          onChange={(event) => void choose([...(event.target.files ?? [])])}
        />
        {read === null ? null : (
          <div className="file-check" role="status">
            {read.facts.map((fact) => (
              <p key={fact}>{fact}</p>
            ))}
            {read.problems.map((p) => (
              <p key={p} className="error-text">
                {p}
              </p>
            ))}
          </div>
        )}
        {problem === undefined ? null : <p className="error-text">{problem}</p>}
        <div className="actions">
          <button type="submit" className="button secondary">
            Use this tariff draft
          </button>
        </div>
      </form>
    </Card>
  );
}

function DraftList({
  items,
  onRemove,
  empty,
}: {
  items: readonly { id: string; label: string }[];
  onRemove: (id: string) => void;
  empty: string;
}) {
  if (items.length === 0) return <p className="hint">{empty}</p>;
  return (
    <ul className="offer-list">
      {items.map((item) => (
        <li key={item.id} className="offer-item">
          <span>{item.label}</span>
          <button
            type="button"
            className="button secondary"
            aria-label={`Remove draft: ${item.label}`}
            onClick={() => onRemove(item.id)}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A signed change in words as well as sign, so it never rests on colour: "+€12.40 (up)". */
export function changeText(f: Formats, change: string, currency: string): string {
  const micros = toMicros(change);
  const amount = money(f, change.replace(/^-/, ''), currency);
  return micros > 0n ? `+${amount} (up)` : micros < 0n ? `−${amount} (down)` : `${amount} (no change)`;
}

export function changePercentText(f: Formats, percent: string | null): string {
  if (percent === null) return '— (nothing before)';
  const micros = toMicros(percent);
  const value = `${new Intl.NumberFormat(f.locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(percent.replace(/^-/, '') as Intl.StringNumericLiteral)} %`;
  return micros > 0n ? `+${value} (up)` : micros < 0n ? `−${value} (down)` : `${value} (no change)`;
}

function deltaClass(change: string): string {
  const micros = toMicros(change);
  return micros > 0n ? 'num delta-up' : micros < 0n ? 'num delta-down' : 'num';
}

function WhatIfResults({ result }: { result: WhatIfResult }) {
  const f = useLocale();
  return (
    <Card title="Revenue change" className="what-if-results">
      <p className="figure-note">
        Usage from {date(f, result.from)} to {date(f, result.to)}, priced as it was and with the drafts.
      </p>
      <FiguresTable
        caption="Totals"
        label="Currency"
        rows={result.totals.map((row) => ({ ...row, name: row.currency }))}
      />
      <FiguresTable
        caption="By plan"
        label="Plan"
        rows={result.byPlan.map((row) => ({
          ...row,
          name: `${row.name} (${row.code})`,
          key: `${row.planId}:${row.currency}`,
        }))}
      />
      <FiguresTable
        caption="By segment"
        label="Segment"
        rows={result.bySegment.map((row) => ({
          ...row,
          name: row.segment,
          key: `${row.segment}:${row.currency}`,
        }))}
      />
    </Card>
  );
}

function FiguresTable({
  caption,
  label,
  rows,
}: {
  caption: string;
  label: string;
  rows: readonly (WhatIfFigures & { name: string; key?: string })[];
}) {
  const f = useLocale();
  return (
    <section className="what-if-section" aria-label={caption}>
      <h3>{caption}</h3>
      {rows.length === 0 ? (
        <p className="hint">No usage in the period.</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{label}</th>
                <th scope="col" className="num">
                  Lines
                </th>
                <th scope="col" className="num">
                  Current
                </th>
                <th scope="col" className="num">
                  Proposed
                </th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col" className="num">
                  Change %
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key ?? `${row.name}:${row.currency}`}>
                  <td data-label={label}>{row.name}</td>
                  <td data-label="Lines" className="num">
                    {num(f, row.subscriptions)}
                  </td>
                  <td data-label="Current" className="num">
                    {money(f, row.currentRevenue, row.currency)}
                  </td>
                  <td data-label="Proposed" className="num">
                    {money(f, row.proposedRevenue, row.currency)}
                  </td>
                  <td data-label="Change" className={deltaClass(row.change)}>
                    {changeText(f, row.change, row.currency)}
                  </td>
                  <td data-label="Change %" className={deltaClass(row.change)}>
                    {changePercentText(f, row.changePercent)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
