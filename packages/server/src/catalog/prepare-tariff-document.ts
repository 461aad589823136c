import { createHash } from 'node:crypto';
import { type CompiledTariff, compileTariff, type TariffDocument, type TariffIssue } from '@tollgate/core';
import { canonicalJson } from '../audit/record-audit-entry.js';
import {
  CGRATES_TARIFF_FILES,
  type ImportIssue,
  importCgratesTariff,
} from '../tariffs/import-cgrates-tariff.js';
import type { TariffSourceFormat, TariffSummary } from './catalog-tables.js';

/** A problem with a catalog request, at the field (or file and line) a person must fix. */
export interface CatalogIssue {
  readonly field: string;
  readonly message: string;
}

/** Where a tariff version comes from: a native document, or a CGRateS tariff plan's CSV files. */
export type TariffSource =
  | { readonly format: 'native'; readonly document: unknown }
  | { readonly format: 'cgrates'; readonly files: ReadonlyMap<string, string> };

export interface TariffContext {
  /** The id given to a converted CGRateS document (native documents keep their own). */
  readonly code: string;
  /** The currency and time zone CGRateS files do not carry. */
  readonly currency: string;
  readonly timeZone: string;
}

export interface PreparedTariff {
  readonly document: TariffDocument;
  readonly compiled: CompiledTariff;
  readonly sourceFormat: TariffSourceFormat;
  readonly sha256: string;
  readonly summary: TariffSummary;
  readonly warnings: readonly CatalogIssue[];
}

export type PrepareTariffResult =
  | { readonly ok: true; readonly tariff: PreparedTariff }
  | { readonly ok: false; readonly code: 'invalid_tariff'; readonly issues: readonly CatalogIssue[] };

const KNOWN_CGRATES_FILES = new Set(CGRATES_TARIFF_FILES.map((file) => file.name));
/**
 * PostgreSQL's jsonb and text cannot hold U+0000, which JSON.stringify writes as the escape
 * `\u0000`: one not itself escaped, so preceded by an even number of backslashes.
 */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * Turns a tariff source into a native document that compiles, or every problem found in it. Any
 * problem rejects the tariff whole: a version is stored only if rating can use it as it is.
 */
export function prepareTariffDocument(source: TariffSource, context: TariffContext): PrepareTariffResult {
  const converted =
    source.format === 'native'
      ? { ok: true as const, document: source.document, warnings: [] }
      : convertCgrates(source.files, context);
  if (!converted.ok) return { ok: false, code: 'invalid_tariff', issues: converted.issues };
  const where = source.format === 'native' ? '/document' : 'converted:';
  const compiled = compileTariff(converted.document);
  if (!compiled.ok) {
    return {
      ok: false,
      code: 'invalid_tariff',
      issues: compiled.error.map((issue) => fromTariffIssue(issue, where)),
    };
  }
  const document = converted.document as TariffDocument;
  const text = canonicalJson(document);
  if (NUL_ESCAPE.test(text)) {
    return {
      ok: false,
      code: 'invalid_tariff',
      issues: [
        {
          field: where,
          message: 'text in the tariff holds a NUL character (U+0000), which cannot be stored',
        },
      ],
    };
  }
  return {
    ok: true,
    tariff: {
      document,
      compiled: compiled.value,
      sourceFormat: source.format,
      sha256: createHash('sha256').update(text).digest('hex'),
      summary: summarise(document),
      warnings: converted.warnings,
    },
  };
}

type Converted =
  | { readonly ok: true; readonly document: unknown; readonly warnings: readonly CatalogIssue[] }
  | { readonly ok: false; readonly issues: readonly CatalogIssue[] };

function convertCgrates(files: ReadonlyMap<string, string>, context: TariffContext): Converted {
  const unknown = [...files.keys()].filter((name) => !KNOWN_CGRATES_FILES.has(name));
  if (unknown.length > 0) {
    const expected = [...KNOWN_CGRATES_FILES].join(', ');
    return {
      ok: false,
      issues: unknown.map((name) => ({
        field: `/files/${name}`,
        message: `not a CGRateS rating file Tollgate reads (expected ${expected})`,
      })),
    };
  }
  const imported = importCgratesTariff(files, {
    tariffId: context.code,
    currency: context.currency,
    timeZone: context.timeZone,
  });
  return imported.ok
    ? { ok: true, document: imported.value, warnings: imported.warnings.map(fromImportIssue) }
    : { ok: false, issues: imported.errors.map(fromImportIssue) };
}

/** `/files/Rates.csv:12:RateUnit`: the file, its line and column, as a person opens it. */
function fromImportIssue(issue: ImportIssue): CatalogIssue {
  const message = `${issue.message} (${issue.code})`;
  if (issue.file === '<options>') return { field: `tenant:${issue.column ?? ''}`, message };
  if (issue.file === '<result>') return { field: `converted:${issue.column ?? ''}`, message };
  if (issue.file === '') return { field: '/files', message };
  const line = issue.line > 0 ? `:${issue.line}` : '';
  const column = issue.column === undefined ? '' : `:${issue.column}`;
  return { field: `/files/${issue.file}${line}${column}`, message };
}

/** `rates[3].groups[1].increment` becomes `/document/rates/3/groups/1/increment`. */
function fromTariffIssue(issue: TariffIssue, where: string): CatalogIssue {
  const pointer = issue.path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part.length > 0)
    .map((part) => `/${part}`)
    .join('');
  return { field: `${where}${pointer}`, message: `${issue.message} (${issue.code})` };
}

export function summarise(document: TariffDocument): TariffSummary {
  return {
    destinations: document.destinations.length,
    prefixes: document.destinations.reduce((sum, destination) => sum + destination.prefixes.length, 0),
    rates: document.rates.length,
    timeBands: document.timeBands?.length ?? 0,
    ratingPlans: document.ratingPlans.length,
    ratingProfiles: document.ratingProfiles.length,
    ratingTenants: [...new Set(document.ratingProfiles.map((profile) => profile.tenant))].sort(),
  };
}
