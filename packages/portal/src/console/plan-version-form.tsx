import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { Allowance, Plan, PlanVersion } from './console-types.js';
import { isAmount } from './decimal-amount.js';
import { instantOfLocal } from './exact-price.js';
import { fieldError, hasProblems, type Problems } from './form-checks.js';
import { keys } from './query-keys.js';
import { useAllTariffs } from './use-tariffs.js';

const FEE_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
type FeePeriod = (typeof FEE_PERIODS)[number];

interface AllowanceRow extends Allowance {
  readonly row: number;
}

/** The version fields a plan version carries over unchanged (this form does not edit them). */
function carriedOver(current: PlanVersion | null) {
  if (current === null) return {};
  return {
    oneTimeFees: current.oneTimeFees,
    prices: current.prices,
    ratingSubject: current.ratingSubject,
    taxCategory: current.taxCategory,
    ...(current.minimumCommitment === null ? {} : { minimumCommitment: current.minimumCommitment }),
  };
}

/** For a draft that is priced but not saved ("what if"): the button's words and who takes the draft. */
export interface DraftUse {
  readonly submitLabel: string;
  readonly onDraft: (draft: Readonly<Record<string, unknown>>) => void;
}

/**
 * A plan's next version (price, fee period, tariff, allowances), prefilled from the version in
 * effect; without `plan`, a new plan with its first version. One-time fees, prices in other
 * currencies, the rating subject and the tax category are carried over as they are. With `draft`,
 * nothing is saved: the version's fields go to `draft.onDraft` (the body POST /v1/plans/:id/versions
 * would take), for pricing it against real usage first.
 */
export function PlanVersionForm({
  plan,
  onDone,
  draft,
}: {
  plan?: Plan;
  onDone: (notice: string) => void;
  draft?: DraftUse;
}) {
  const client = useQueryClient();
  const tariffs = useAllTariffs();
  const current = plan?.current ?? null;
  const allowanceIds = useId();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'base' | 'addon'>('base');
  const [fee, setFee] = useState(current?.recurringFee ?? '');
  const [currency, setCurrency] = useState(current?.currency ?? '');
  const [period, setPeriod] = useState<FeePeriod>(current?.feePeriod ?? 'month');
  const [tariffId, setTariffId] = useState(current?.tariffId ?? '');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [allowances, setAllowances] = useState<AllowanceRow[]>(
    (current?.allowances ?? []).map((a, row) => ({ ...a, row })),
  );
  const [invalid, setInvalid] = useState<Problems>({});
  const creating = plan === undefined;
  const planKind = plan?.kind ?? kind;
  const save = useIdempotentMutation({
    mutationFn: (body: Record<string, unknown>, idempotencyKey) =>
      api<{ version?: number; latestVersion?: number }>(
        creating ? '/v1/plans' : `/v1/plans/${plan.id}/versions`,
        {
          body,
          idempotencyKey,
        },
      ),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: keys.plans });
      onDone(creating ? `Plan ${code} created.` : `Version ${saved.version ?? ''} of ${plan.code} added.`);
    },
  });
  const change = (row: number, patch: Partial<Allowance>) =>
    setAllowances((rows) => rows.map((a) => (a.row === row ? { ...a, ...patch } : a)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      code:
        creating && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(code)
          ? 'Letters, digits and . _ : -'
          : undefined,
      name: creating && name.trim() === '' ? 'Give the plan a name' : undefined,
      fee: isAmount(fee.trim()) ? undefined : 'An amount like 9.99 (0 for none)',
      currency:
        currency === '' || /^[A-Z]{3}$/.test(currency) ? undefined : 'Three capital letters, like EUR',
      tariff:
        planKind === 'base' && tariffId === ''
          ? 'A base plan needs the tariff that prices its usage'
          : undefined,
      allowances: allowances.some((a) => a.service.trim() === '' || a.amount.trim() === '')
        ? 'Every allowance needs its service and amount'
        : undefined,
    };
    setInvalid(problems);
    if (hasProblems(problems)) return;
    const at = draft === undefined ? instantOfLocal(effectiveFrom) : undefined;
    const body = {
      ...(creating ? { code, name: name.trim(), kind } : {}),
      ...carriedOver(current),
      recurringFee: fee.trim(),
      feePeriod: period,
      ...(currency === '' ? {} : { currency }),
      ...(tariffId === '' ? {} : { tariffId }),
      ...(at === undefined ? {} : { effectiveFrom: at }),
      allowances: allowances.map(({ row: _row, ...a }) => ({
        ...a,
        service: a.service.trim(),
        amount: a.amount.trim(),
      })),
    };
    if (draft === undefined) save.mutate(body);
    else draft.onDraft(body);
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      {creating ? (
        <>
          <Field
            label="Code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={invalid.code ?? fieldError(save.error, 'code')}
          />
          <Field
            label="Name"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={invalid.name ?? fieldError(save.error, 'name')}
          />
          <SelectField
            label="Kind"
            value={kind}
            onChange={(event) => setKind(event.target.value === 'addon' ? 'addon' : 'base')}
          >
            <option value="base">Base plan</option>
            <option value="addon">Add-on</option>
          </SelectField>
        </>
      ) : null}
      <div className="form-row">
        <Field
          label="Recurring fee"
          inputMode="decimal"
          required
          value={fee}
          onChange={(event) => setFee(event.target.value)}
          error={invalid.fee ?? fieldError(save.error, 'recurringFee')}
        />
        <Field
          label="Currency"
          hint="Default: the operator's"
          maxLength={3}
          value={currency}
          onChange={(event) => setCurrency(event.target.value.toUpperCase())}
          error={invalid.currency ?? fieldError(save.error, 'currency')}
        />
        <SelectField
          label="Charged every"
          value={period}
          onChange={(event) => setPeriod(FEE_PERIODS.find((p) => p === event.target.value) ?? 'month')}
        >
          {FEE_PERIODS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField label="Tariff" value={tariffId} onChange={(event) => setTariffId(event.target.value)}>
        <option value="">{planKind === 'base' ? 'Choose the tariff' : 'None'}</option>
        {tariffs.data?.items.map((tariff) => (
          <option key={tariff.id} value={tariff.id}>
            {tariff.name} ({tariff.code})
          </option>
        ))}
      </SelectField>
      {invalid.tariff === undefined ? null : <p className="error-text">{invalid.tariff}</p>}
      <fieldset className="allowances">
        <legend>Allowances</legend>
        <datalist id={`${allowanceIds}-services`}>
          <option value="voice" />
          <option value="sms" />
          <option value="data" />
          <option value="money" />
        </datalist>
        {allowances.length === 0 ? <p className="hint">No allowances.</p> : null}
        {allowances.map((allowance, index) => (
          <div className="form-row" key={allowance.row}>
            <Field
              label={`Service ${index + 1}`}
              list={`${allowanceIds}-services`}
              value={allowance.service}
              onChange={(event) => change(allowance.row, { service: event.target.value })}
            />
            <Field
              label={`Amount ${index + 1}`}
              hint="voice 300m, sms 100, data 5GB, money 5.00"
              value={allowance.amount}
              onChange={(event) => change(allowance.row, { amount: event.target.value })}
            />
            <button
              type="button"
              className="button secondary"
              onClick={() => setAllowances((rows) => rows.filter((a) => a.row !== allowance.row))}
            >
              Remove<span className="visually-hidden"> allowance {index + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            setAllowances((rows) => [
              ...rows,
              { row: Math.max(-1, ...rows.map((a) => a.row)) + 1, service: '', amount: '' },
            ])
          }
        >
          Add allowance
        </button>
        {invalid.allowances === undefined ? null : <p className="error-text">{invalid.allowances}</p>}
      </fieldset>
      {draft === undefined ? (
        <Field
          label="Takes effect"
          type="datetime-local"
          hint="Leave empty for now; never before the latest version"
          value={effectiveFrom}
          onChange={(event) => setEffectiveFrom(event.target.value)}
          error={fieldError(save.error, 'effectiveFrom')}
        />
      ) : null}
      {current === null ? null : (
        <p className="hint">
          One-time fees, prices in other currencies, the rating subject and the tax category stay as in
          version {current.version}.
        </p>
      )}
      <FormMessage error={errorText(save.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {draft !== undefined
            ? draft.submitLabel
            : save.isPending
              ? 'Saving…'
              : creating
                ? 'Create plan'
                : 'Add version'}
        </button>
      </div>
    </form>
  );
}
