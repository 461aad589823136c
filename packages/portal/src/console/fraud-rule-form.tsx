import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import type { FraudRule } from '../api/types.js';
import { Field, FormMessage, SelectField } from '../ui/field.js';
import { TextAreaField } from '../ui/text-area-field.js';
import { errorText } from '../ui/use-idempotent-mutation.js';
import { fieldError } from './form-checks.js';
import { fraudKindLabel, keyWords } from './fraud-words.js';
import { keys } from './query-keys.js';

/** How a parameter is edited, from the shape of its current value (the server's defaults or the saved rule). */
type ParamShape = 'number' | 'boolean' | 'string' | 'list' | 'numberList' | 'json';

function shapeOf(value: unknown): ParamShape {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return 'list';
    if (value.every((item) => typeof item === 'number')) return 'numberList';
  }
  return 'json';
}

/** A parameter's value as the form edits it: text, except a checkbox's true/false. */
function textOf(shape: ParamShape, value: unknown): string | boolean {
  switch (shape) {
    case 'boolean':
      return value === true;
    case 'number':
    case 'string':
      return String(value);
    case 'list':
    case 'numberList':
      return (value as unknown[]).map(String).join('\n');
    default:
      return JSON.stringify(value, null, 2);
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** The value back from the form, or a problem to show beside the field. */
function paramValue(shape: ParamShape, text: string | boolean): { value: unknown } | { problem: string } {
  if (typeof text === 'boolean') return { value: text };
  const lines = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  switch (shape) {
    case 'number':
      return NUMBER.test(text.trim()) ? { value: Number(text.trim()) } : { problem: 'A number, like 30' };
    case 'string':
      return { value: text.trim() };
    case 'list':
      return { value: lines };
    case 'numberList':
      return lines.every((line) => NUMBER.test(line))
        ? { value: lines.map(Number) }
        : { problem: 'Numbers, one a line' };
    default:
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { problem: `Not JSON: ${(error as Error).message}` };
      }
  }
}

interface RuleBody {
  readonly enabled: boolean;
  readonly action: 'alert' | 'bar';
  readonly notify: boolean;
  readonly params: Record<string, unknown>;
}

/**
 * A fraud rule's settings (admins): on or off, what it does when it fires (open a case, or also
 * bar the line), whether it notifies, and its parameters. Each parameter gets the field its value
 * calls for (a number, a list one a line, a switch); "as JSON" edits them all at once, for a
 * parameter the form does not know yet.
 */
export function FraudRuleForm({ rule, onDone }: { rule: FraudRule; onDone: (notice: string) => void }) {
  const client = useQueryClient();
  const [shapes, setShapes] = useState<Record<string, ParamShape>>(() =>
    Object.fromEntries(Object.entries(rule.params).map(([key, value]) => [key, shapeOf(value)])),
  );
  const [enabled, setEnabled] = useState(rule.enabled);
  const [action, setAction] = useState(rule.action);
  const [notify, setNotify] = useState(rule.notify);
  const [asJson, setAsJson] = useState(false);
  const [fields, setFields] = useState<Record<string, string | boolean>>(
    Object.fromEntries(
      Object.entries(rule.params).map(([key, value]) => [key, textOf(shapeOf(value), value)]),
    ),
  );
  const [json, setJson] = useState(JSON.stringify(rule.params, null, 2));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: RuleBody) => api<FraudRule>(`/v1/fraud-rules/${rule.kind}`, { method: 'PUT', body }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.fraudRules });
      onDone(`Rule "${fraudKindLabel(rule.kind)}" saved.`);
    },
  });
  const readParams = (): { params: Record<string, unknown> } | { problems: Record<string, string> } => {
    if (asJson) {
      const read = paramValue('json', json);
      if ('problem' in read) return { problems: { json: read.problem } };
      if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value))
        return { problems: { json: 'The parameters are one JSON object: { "name": value, … }' } };
      return { params: read.value as Record<string, unknown> };
    }
    const params: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const [key, text] of Object.entries(fields)) {
      const read = paramValue(shapes[key] ?? 'json', text);
      if ('problem' in read) found[key] = read.problem;
      else params[key] = read.value;
    }
    return Object.keys(found).length > 0 ? { problems: found } : { params };
  };
  const switchMode = () => {
    const read = readParams();
    if ('problems' in read) {
      setProblems(read.problems);
      return;
    }
    setProblems({});
    if (asJson) {
      // Each parameter (one added in JSON too) gets the field its value calls for.
      const next = Object.fromEntries(
        Object.entries(read.params).map(([key, value]) => [key, shapeOf(value)]),
      );
      setShapes(next);
      setFields(
        Object.fromEntries(
          Object.entries(read.params).map(([key, value]) => [key, textOf(next[key] ?? 'json', value)]),
        ),
      );
    } else setJson(JSON.stringify(read.params, null, 2));
    setAsJson(!asJson);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readParams();
    if ('problems' in read) {
      setProblems(read.problems);
      return;
    }
    setProblems({});
    save.mutate({ enabled, action, notify, params: read.params });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        Rule enabled
      </label>
      <SelectField
        label="When it fires"
        value={action}
        onChange={(event) => setAction(event.target.value === 'bar' ? 'bar' : 'alert')}
      >
        <option value="alert">Open a case</option>
        <option value="bar">Open a case and bar the line until reviewed</option>
      </SelectField>
      <label className="check">
        <input type="checkbox" checked={notify} onChange={(event) => setNotify(event.target.checked)} />
        Notify when it fires
      </label>
      <fieldset className="allowances">
        <legend>Parameters</legend>
        {asJson ? (
          <TextAreaField
            label="Parameters as JSON"
            className="raw-input"
            rows={8}
            spellCheck={false}
            value={json}
            onChange={(event) => setJson(event.target.value)}
            error={problems.json ?? fieldError(save.error, 'params')}
          />
        ) : Object.keys(fields).length === 0 ? (
          <p className="hint">This rule has no parameters.</p>
        ) : (
          Object.entries(fields).map(([key, value]) => {
            const shape = shapes[key] ?? 'json';
            const label = keyWords(key);
            const error = problems[key] ?? fieldError(save.error, key);
            if (typeof value === 'boolean')
              return (
                <label key={key} className="check">
                  <input
                    type="checkbox"
                    checked={value}
                    onChange={(event) => setFields({ ...fields, [key]: event.target.checked })}
                  />
                  {label}
                </label>
              );
            return shape === 'number' || shape === 'string' ? (
              <Field
                key={key}
                label={label}
                inputMode={shape === 'number' ? 'decimal' : undefined}
                value={value}
                onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
                error={error}
              />
            ) : (
              <TextAreaField
                key={key}
                label={label}
                hint={shape === 'json' ? 'JSON' : 'One a line'}
                rows={shape === 'json' ? 5 : 4}
                spellCheck={false}
                value={value}
                onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
                error={error}
              />
            );
          })
        )}
        <button type="button" className="button secondary" onClick={switchMode}>
          {asJson ? 'Edit as fields' : 'Edit as JSON'}
        </button>
      </fieldset>
      <FormMessage error={errorText(save.error)} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save rule'}
        </button>
      </div>
    </form>
  );
}
