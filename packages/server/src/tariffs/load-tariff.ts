import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type CompiledTariff, compileTariff, type TariffDocument, type TariffIssue } from '@tollgate/core';
import { parse as parseYaml } from 'yaml';
import { readCgratesTariffDir } from './import-cgrates-tariff.js';
import { findDuplicateJsonKey, lineAndColumn } from './json-text.js';

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
const BYTE_ORDER_MARK = '\uFEFF';

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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file, code: 'unreadable_file', message: (error as Error).message }] };
  }
  return extname(file).toLowerCase() === '.json'
    ? parseJsonDocument(file, text)
    : parseYamlDocument(file, text);
}

function parseYamlDocument(file: string, text: string): LoadedDocument {
  try {
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

/**
 * JSON.parse, many times faster than a YAML parser on a large deck. A JSON text parses the same
 * under YAML 1.2, which the yaml library used to be given; what it rejected beyond JSON's own
 * syntax, a byte order mark it skipped and keys repeated within one object, is kept that way.
 */
function parseJsonDocument(file: string, text: string): LoadedDocument {
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [jsonSyntaxIssue(file, json, (error as Error).message)] };
  }
  const duplicate = findDuplicateJsonKey(json);
  if (duplicate !== undefined) {
    const { line, column } = lineAndColumn(json, duplicate.position);
    return {
      ok: false,
      errors: [
        {
          file,
          line,
          code: 'unreadable_file',
          message: `Map keys must be unique: ${JSON.stringify(duplicate.key)} is repeated at line ${line}, column ${column}`,
        },
      ],
    };
  }
  return { ok: true, document: document as TariffDocument, warnings: [] };
}

/** V8 names the offending offset ("... in JSON at position 1234") for most syntax errors. */
const JSON_POSITION = / at position (\d+)/;
const JSON_UNEXPECTED_END = 'Unexpected end of JSON input';

function jsonSyntaxIssue(file: string, json: string, message: string): TariffSourceIssue {
  const position = JSON_POSITION.exec(message)?.[1];
  const offset =
    position !== undefined ? Number(position) : message === JSON_UNEXPECTED_END ? json.length : undefined;
  if (offset === undefined) return { file, code: 'unreadable_file', message };
  const { line, column } = lineAndColumn(json, offset);
  return { file, line, code: 'unreadable_file', message: `${message} (line ${line}, column ${column})` };
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
