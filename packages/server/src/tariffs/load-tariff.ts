import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CompiledTariff, compileTariff, type TariffDocument, type TariffIssue } from '@tollgate/core';
import { parse as parseYaml } from 'yaml';
import { readCgratesTariffDir } from './import-cgrates-tariff.js';

export type TariffFormat = 'native' | 'cgrates';

export interface TariffSource {
  /** A native tariff file, or a folder (native: holding tariff.yaml, .yml or .json; cgrates: the CSV files). */
  readonly path: string;
  readonly format: TariffFormat;
  /** For CGRateS folders, which carry no currency, zone or id of their own. */
  readonly currency: string;
  readonly timeZone: string;
  readonly tariffId?: string;
}

/** A problem in a tariff source, located as precisely as the format allows. */
export interface TariffSourceIssue {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly path?: string;
  readonly code: string;
  readonly message: string;
}

export type LoadedDocument =
  | { readonly ok: true; readonly document: TariffDocument; readonly warnings: readonly TariffSourceIssue[] }
  | { readonly ok: false; readonly errors: readonly TariffSourceIssue[] };

export type LoadedTariff =
  | {
      readonly ok: true;
      readonly tariff: CompiledTariff;
      readonly document: TariffDocument;
      readonly warnings: readonly TariffSourceIssue[];
    }
  | { readonly ok: false; readonly errors: readonly TariffSourceIssue[] };

const NATIVE_FILE_NAMES = ['tariff.yaml', 'tariff.yml', 'tariff.json'];

/** Reads a tariff in either format as a native document, without compiling it. */
export async function readTariffDocument(source: TariffSource): Promise<LoadedDocument> {
  if (source.format === 'cgrates') {
    const imported = await readCgratesTariffDir(source.path, {
      tariffId: source.tariffId ?? 'cgrates',
      currency: source.currency,
      timeZone: source.timeZone,
    });
    return imported.ok
      ? { ok: true, document: imported.value, warnings: imported.warnings }
      : { ok: false, errors: imported.errors };
  }
  const file = await nativeFilePath(source.path);
  if (file === null) {
    return {
      ok: false,
      errors: [
        {
          file: source.path,
          code: 'file_not_found',
          message: `no ${NATIVE_FILE_NAMES.join(', ')} in ${source.path}`,
        },
      ],
    };
  }
  try {
    const text = await readFile(file, 'utf8');
    // YAML 1.2 core schema: a JSON file parses the same way.
    return { ok: true, document: parseYaml(text, { prettyErrors: true }) as TariffDocument, warnings: [] };
  } catch (error) {
    const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
    return {
      ok: false,
      errors: [
        {
          file,
          ...(line === undefined ? {} : { line }),
          code: 'unreadable_file',
          message: (error as Error).message,
        },
      ],
    };
  }
}

/** Reads and compiles a tariff; any problem anywhere rejects it whole. */
export async function loadTariff(source: TariffSource): Promise<LoadedTariff> {
  const read = await readTariffDocument(source);
  return read.ok ? compileLoadedDocument(read.document, read.warnings, source.path) : read;
}

export function compileLoadedDocument(
  document: TariffDocument,
  warnings: readonly TariffSourceIssue[],
  file: string,
): LoadedTariff {
  const compiled = compileTariff(document);
  if (!compiled.ok) return { ok: false, errors: compiled.error.map((issue) => fromTariffIssue(issue, file)) };
  return { ok: true, tariff: compiled.value, document, warnings };
}

async function nativeFilePath(path: string): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  if (info === null) return null;
  if (info.isFile()) return path;
  for (const name of NATIVE_FILE_NAMES) {
    const candidate = join(path, name);
    if ((await stat(candidate).catch(() => null))?.isFile()) return candidate;
  }
  return null;
}

function fromTariffIssue(issue: TariffIssue, file: string): TariffSourceIssue {
  return { file, path: issue.path, code: issue.code, message: issue.message };
}

export function formatTariffIssue(issue: TariffSourceIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  const path = issue.path === undefined ? '' : ` ${issue.path}`;
  return `${where}${path}: ${issue.code}: ${issue.message}`;
}
