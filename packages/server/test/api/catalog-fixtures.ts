import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TariffDocument } from '@tollgate/core';
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { CGRATES_CONFORMANCE } from '../run-cli.js';
import { bearer } from './api-fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_TARIFF_FILE = resolve(here, '../../samples/demo/tariff.yaml');
export const TUTORIAL2 = join(CGRATES_CONFORMANCE, 'tutorial2');

/** The bundled demo tariff, parsed as the API receives it (JSON). */
export async function demoTariffDocument(): Promise<TariffDocument> {
  return parseYaml(await readFile(DEMO_TARIFF_FILE, 'utf8')) as TariffDocument;
}

/** The CSV files of a CGRateS tariff plan folder, by file name, as the API takes them. */
export async function cgratesFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of [
    'Destinations.csv',
    'Rates.csv',
    'DestinationRates.csv',
    'Timings.csv',
    'RatingPlans.csv',
    'RatingProfiles.csv',
  ]) {
    files[name] = await readFile(join(dir, name), 'utf8');
  }
  return files;
}

/** The demo tariff with another price for LOCAL_PEAK: a new version easy to tell apart. */
export function withLocalPeakPrice(document: TariffDocument, price: string): TariffDocument {
  return {
    ...document,
    rates: document.rates.map((rate) =>
      rate.id === 'LOCAL_PEAK'
        ? { ...rate, groups: rate.groups.map((group) => ({ ...group, price })) }
        : rate,
    ),
  };
}

let codeCounter = 0;
/** A tariff or plan code no other test in the file uses. */
export function uniqueCode(prefix: string): string {
  codeCounter++;
  return `${prefix}-${codeCounter}`;
}

export async function post(
  app: FastifyInstance,
  url: string,
  key: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(key), ...headers },
    payload: payload as object,
  });
}

export async function get(app: FastifyInstance, url: string, key: string) {
  return app.inject({ method: 'GET', url, headers: bearer(key) });
}
