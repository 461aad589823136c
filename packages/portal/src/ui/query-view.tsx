import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { catalog, useMessages } from '../i18n/messages.js';

const texts = catalog(
  {
    loading: 'Loading…',
    failed: 'This could not be loaded.',
    retry: 'Try again',
    empty: 'Nothing here yet.',
  },
  {
    es: {
      loading: 'Cargando…',
      failed: 'No se ha podido cargar.',
      retry: 'Reintentar',
      empty: 'Todavía no hay nada.',
    },
    fr: {
      loading: 'Chargement…',
      failed: 'Le chargement a échoué.',
      retry: 'Réessayer',
      empty: 'Rien pour le moment.',
    },
    de: {
      loading: 'Wird geladen …',
      failed: 'Das ließ sich nicht laden.',
      retry: 'Erneut versuchen',
      empty: 'Noch nichts da.',
    },
  },
);

export function Loading({ label }: { label?: string }) {
  const t = useMessages(texts);
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('loading')}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useMessages(texts);
  const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : '';
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('failed')}</strong> {detail}
      </p>
      {onRetry === undefined ? null : (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useMessages(texts);
  return <p className="state state-empty">{children ?? t('empty')}</p>;
}

/**
 * Every screen's three states in one place: loading, failed (with a retry), and the data.
 * `isEmpty` shows the empty state instead of an empty table.
 */
export function QueryView<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) === true) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
