import { useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { useLocale } from '../i18n/messages.js';
import { Field, FormMessage } from '../ui/field.js';
import { errorText, useIdempotentMutation } from '../ui/use-idempotent-mutation.js';
import type { ImportWarning } from './console-types.js';
import { instantOfLocal } from './exact-price.js';
import { fieldError, hasProblems, type Problems } from './form-checks.js';
import { keys } from './query-keys.js';
import { type ReadTariff, readTariffFiles, type TariffUpload } from './tariff-file.js';

/** The most issues listed at once; the rest are counted (a broken deck can have thousands). */
const SHOWN_ISSUES = 50;

interface ImportBody {
  readonly code?: string;
  readonly name?: string;
  readonly activatesAt?: string;
  readonly format: TariffUpload['format'];
  readonly document?: unknown;
  readonly files?: Readonly<Record<string, string>>;
}

export interface Imported {
  readonly id: string;
  readonly version?: number;
  readonly tariffId?: string;
  readonly warnings: readonly ImportWarning[];
}

/**
 * Imports a tariff from files: a new tariff (with its code and name) when `tariffId` is absent,
 * else the tariff's next version. The file is read and checked in the browser first; the server
 * validates all of it on import and stores nothing if anything is wrong.
 */
export function TariffImportForm({
  tariffId,
  onDone,
}: {
  tariffId?: string;
  onDone: (imported: Imported) => void;
}) {
  const f = useLocale();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [activatesAt, setActivatesAt] = useState('');
  const [read, setRead] = useState<ReadTariff | null>(null);
  const [reading, setReading] = useState(false);
  const [invalid, setInvalid] = useState<Problems>({});
  const creating = tariffId === undefined;
  const importTariff = useIdempotentMutation({
    mutationFn: (body: ImportBody, idempotencyKey) =>
      api<Imported>(creating ? '/v1/tariffs' : `/v1/tariffs/${tariffId}/versions`, { body, idempotencyKey }),
    onSuccess: async (imported) => {
      await client.invalidateQueries({ queryKey: keys.tariffs });
      onDone(imported);
    },
  });
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    importTariff.reset();
    setReading(true);
    try {
      setRead(await readTariffFiles(f, files));
    } finally {
      setReading(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      code:
        creating && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(code)
          ? 'Letters, digits and . _ : -'
          : undefined,
      name: creating && name.trim() === '' ? 'Give the tariff a name' : undefined,
      file: read?.upload === null || read === null ? 'Choose a tariff file that reads' : undefined,
    };
    setInvalid(problems);
    if (hasProblems(problems) || read?.upload == null) return;
    const at = instantOfLocal(activatesAt);
    const upload = read.upload;
    importTariff.mutate({
      ...(creating ? { code, name: name.trim() } : {}),
      ...(at === undefined ? {} : { activatesAt: at }),
      ...(upload.format === 'native'
        ? { format: 'native', document: upload.document }
        : { format: 'cgrates', files: upload.files }),
    });
  };
  const issues = importTariff.error instanceof ApiError ? importTariff.error.errors : [];
  return (
    <form className="form" onSubmit={submit} noValidate>
      {creating ? (
        <>
          <Field
            label="Code"
            hint="Stable, unique: letters, digits and . _ : -"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={invalid.code ?? fieldError(importTariff.error, 'code')}
          />
          <Field
            label="Name"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={invalid.name ?? fieldError(importTariff.error, 'name')}
          />
        </>
      ) : null}
      <Field
        label="Tariff file"
        type="file"
        accept=".json,.csv,application/json,text/csv"
        multiple
        hint="A native tariff (.json), or the CSV files of a CGRateS tariff plan"
        onChange={(event) => void choose(event)}
        error={invalid.file}
      />
      {reading ? <p role="status">Reading the file…</p> : null}
      {read === null ? null : (
        <div className="file-check" role="status">
          {read.facts.map((fact) => (
            <p key={fact}>{fact}</p>
          ))}
          {read.problems.map((problem) => (
            <p key={problem} className="error-text">
              {problem}
            </p>
          ))}
          {read.upload === null ? null : (
            <p className="hint">
              Read in the browser. The server checks the whole tariff when you import it and stores nothing if
              it finds a problem.
            </p>
          )}
        </div>
      )}
      <Field
        label="Applies from"
        type="datetime-local"
        hint="Leave empty to apply it now; a later version wins from its own start"
        value={activatesAt}
        onChange={(event) => setActivatesAt(event.target.value)}
        error={fieldError(importTariff.error, 'activatesAt')}
      />
      <FormMessage error={errorText(importTariff.error)} />
      {issues.length > 0 ? (
        <div className="issues">
          <p>
            {issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix in the file
            {issues.length > SHOWN_ISSUES ? ` (the first ${SHOWN_ISSUES} shown)` : ''}:
          </p>
          <ul>
            {issues.slice(0, SHOWN_ISSUES).map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same field can have several issues
              <li key={index}>
                <code>{issue.field}</code> {issue.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button primary" disabled={importTariff.isPending || reading}>
          {importTariff.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
    </form>
  );
}
