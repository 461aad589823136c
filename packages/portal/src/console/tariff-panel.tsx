import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Page as ApiPage, api, query } from '../api/client.js';
import { dateTime, num } from '../i18n/format.js';
import { useLocale } from '../i18n/messages.js';
import { Pager, useCursorPages } from '../ui/cursor-pager.js';
import { DialogButton } from '../ui/dialog.js';
import { FormMessage } from '../ui/field.js';
import { Card } from '../ui/page.js';
import { QueryView } from '../ui/query-view.js';
import type { Tariff, TariffDetail } from './console-types.js';
import { keys } from './query-keys.js';
import { useCan } from './staff-context.js';
import { type Imported, TariffImportForm } from './tariff-import-form.js';
import { TariffRates } from './tariff-rates.js';

const TARIFF_PAGE_SIZE = 25;

export interface TariffSelection {
  readonly tariffId: string | null;
  readonly version: number | null;
  readonly select: (tariffId: string | null, version: number | null) => void;
}

function importedNotice(imported: Imported): string {
  const what = imported.version === undefined ? 'Tariff created' : `Version ${imported.version} imported`;
  const warnings = imported.warnings.length;
  return warnings === 0
    ? `${what}.`
    : `${what}, with ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}.`;
}

/** Tariffs: the list, one tariff's versions, and a version's destinations and rates. */
export function TariffPanel({ selection }: { selection: TariffSelection }) {
  const [imported, setImported] = useState<Imported | null>(null);
  return (
    <>
      <TariffList selection={selection} onImported={setImported} />
      {imported === null ? null : <ImportReport imported={imported} />}
      {selection.tariffId === null ? null : (
        <TariffVersions tariffId={selection.tariffId} selection={selection} onImported={setImported} />
      )}
      {selection.tariffId === null || selection.version === null ? null : (
        <Card title={`Destinations and rates of version ${selection.version}`}>
          <TariffRates tariffId={selection.tariffId} version={selection.version} />
        </Card>
      )}
    </>
  );
}

function ImportReport({ imported }: { imported: Imported }) {
  return (
    <div className="card">
      <FormMessage success={importedNotice(imported)} />
      {imported.warnings.length === 0 ? null : (
        <ul className="issues">
          {imported.warnings.map((warning, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: warnings are a fixed list from one import
            <li key={index}>
              <code>{warning.field}</code> {warning.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TariffList({
  selection,
  onImported,
}: {
  selection: TariffSelection;
  onImported: (imported: Imported) => void;
}) {
  const f = useLocale();
  const canImport = useCan('operator');
  const pages = useCursorPages();
  const tariffs = useQuery({
    queryKey: [...keys.tariffs, 'list', pages.cursor],
    queryFn: ({ signal }) =>
      api<ApiPage<Tariff>>(`/v1/tariffs${query({ limit: TARIFF_PAGE_SIZE, cursor: pages.cursor })}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Tariffs">
      {canImport ? (
        <div className="actions">
          <DialogButton label="New tariff" title="New tariff from a file" className="button primary" wide>
            {(close) => (
              <TariffImportForm
                onDone={(imported) => {
                  close();
                  onImported(imported);
                  selection.select(imported.id, null);
                }}
              />
            )}
          </DialogButton>
        </div>
      ) : null}
      <QueryView query={tariffs} isEmpty={(page) => page.items.length === 0} empty="No tariffs yet.">
        {(page) => (
          <>
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Name</th>
                    <th scope="col">Currency</th>
                    <th scope="col">In effect</th>
                    <th scope="col">Latest</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((tariff) => (
                    <tr key={tariff.id} aria-current={tariff.id === selection.tariffId ? 'true' : undefined}>
                      <td data-label="Code">
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => selection.select(tariff.id, null)}
                        >
                          {tariff.code}
                        </button>
                      </td>
                      <td data-label="Name">{tariff.name}</td>
                      <td data-label="Currency">{tariff.currency}</td>
                      <td data-label="In effect">
                        {tariff.activeVersion === null
                          ? 'None yet'
                          : `Version ${num(f, tariff.activeVersion)}`}
                      </td>
                      <td data-label="Latest">Version {num(f, tariff.latestVersion)}</td>
                      <td data-label="Created">{dateTime(f, tariff.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={page.nextCursor} label="Tariff pages" />
          </>
        )}
      </QueryView>
    </Card>
  );
}

function TariffVersions({
  tariffId,
  selection,
  onImported,
}: {
  tariffId: string;
  selection: TariffSelection;
  onImported: (imported: Imported) => void;
}) {
  const f = useLocale();
  const canImport = useCan('operator');
  const tariff = useQuery({
    queryKey: keys.tariff(tariffId),
    queryFn: ({ signal }) => api<TariffDetail>(`/v1/tariffs/${tariffId}`, { signal }),
  });
  return (
    <Card title={tariff.data === undefined ? 'Tariff' : `Tariff ${tariff.data.code}: ${tariff.data.name}`}>
      <QueryView query={tariff}>
        {(data) => (
          <>
            {canImport ? (
              <div className="actions">
                <DialogButton label="Import new version" title={`New version of ${data.code}`} wide>
                  {(close) => (
                    <TariffImportForm
                      tariffId={data.id}
                      onDone={(imported) => {
                        close();
                        onImported(imported);
                        if (imported.version !== undefined) selection.select(data.id, imported.version);
                      }}
                    />
                  )}
                </DialogButton>
              </div>
            ) : null}
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Applies from</th>
                    <th scope="col">Format</th>
                    <th scope="col" className="num">
                      Destinations
                    </th>
                    <th scope="col" className="num">
                      Prefixes
                    </th>
                    <th scope="col" className="num">
                      Rates
                    </th>
                    <th scope="col">Rates table</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.versions]
                    .sort((a, b) => b.version - a.version)
                    .map((version) => (
                      <tr key={version.id}>
                        <td data-label="Version">
                          {num(f, version.version)}
                          {version.version === data.activeVersion ? (
                            <span className="badge ok">in effect</span>
                          ) : null}
                        </td>
                        <td data-label="Applies from">{dateTime(f, version.activatesAt)}</td>
                        <td data-label="Format">
                          {version.sourceFormat === 'cgrates' ? 'CGRateS' : 'Native'}
                        </td>
                        <td data-label="Destinations" className="num">
                          {num(f, version.summary.destinations)}
                        </td>
                        <td data-label="Prefixes" className="num">
                          {num(f, version.summary.prefixes)}
                        </td>
                        <td data-label="Rates" className="num">
                          {num(f, version.summary.rates)}
                        </td>
                        <td data-label="Rates table">
                          <button
                            type="button"
                            className="link-button"
                            aria-pressed={selection.version === version.version}
                            onClick={() => selection.select(data.id, version.version)}
                          >
                            View rates<span className="visually-hidden"> of version {version.version}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryView>
    </Card>
  );
}
