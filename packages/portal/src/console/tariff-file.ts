import { type Formats, num } from '../i18n/format.js';

/**
 * Reading a tariff file in the browser before it is sent: which format it is, and the checks the
 * browser can make cheaply (JSON syntax, the format tag, which CGRateS files are there) so an
 * obvious slip is named before a large upload. The server validates the whole tariff on import
 * and stores nothing if it finds a problem; the API has no dry run to check more here.
 */
export type TariffUpload =
  | { readonly format: 'native'; readonly document: unknown }
  | { readonly format: 'cgrates'; readonly files: Readonly<Record<string, string>> };

export interface ReadTariff {
  readonly upload: TariffUpload | null;
  /** What the browser could tell about it, for the person to read before importing. */
  readonly facts: readonly string[];
  readonly problems: readonly string[];
}

const NATIVE_FORMAT = 'tollgate.tariff/v1';
const REQUIRED_CGRATES_FILES = [
  'Destinations.csv',
  'Rates.csv',
  'DestinationRates.csv',
  'RatingPlans.csv',
  'RatingProfiles.csv',
];
const MAX_CGRATES_FILES = 20;

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function readNative(f: Formats, name: string, text: string): ReadTariff {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { upload: null, facts: [], problems: [`${name} is not JSON: ${(error as Error).message}`] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { upload: null, facts: [], problems: [`${name} holds no tariff document (an object)`] };
  const tariff = document as Record<string, unknown>;
  const problems =
    tariff.format === NATIVE_FORMAT
      ? []
      : [`${name} is not a ${NATIVE_FORMAT} document (its "format" is ${JSON.stringify(tariff.format)})`];
  const destinations = Array.isArray(tariff.destinations) ? tariff.destinations : [];
  const prefixes = destinations.reduce<number>(
    (sum, d) => sum + count((d as { prefixes?: unknown } | null)?.prefixes),
    0,
  );
  const facts = [
    `Native tariff ${String(tariff.id ?? '(no id)')} in ${String(tariff.currency ?? '(no currency)')}, time zone ${String(tariff.timeZone ?? '(none)')}`,
    `${num(f, destinations.length)} destinations with ${num(f, prefixes)} prefixes, ${num(f, count(tariff.rates))} rates, ${num(f, count(tariff.ratingPlans))} rating plans, ${num(f, count(tariff.ratingProfiles))} rating profiles`,
  ];
  return { upload: problems.length === 0 ? { format: 'native', document } : null, facts, problems };
}

/** Reads the chosen files: one native JSON document, or the CSV files of a CGRateS tariff plan. */
export async function readTariffFiles(f: Formats, files: readonly File[]): Promise<ReadTariff> {
  if (files.length === 0) return { upload: null, facts: [], problems: [] };
  const yaml = files.find((file) => /\.ya?ml$/i.test(file.name));
  if (yaml !== undefined)
    return {
      upload: null,
      facts: [],
      problems: [
        `${yaml.name} is YAML, which the browser cannot read: convert it with "tollgate tariff import --tariff-dir ${yaml.name} --out tariff.json" and choose tariff.json, or store it with "tollgate tariff push".`,
      ],
    };
  const json = files.filter((file) => /\.json$/i.test(file.name));
  if (json.length > 0) {
    const [first] = json;
    if (files.length > 1 || first === undefined)
      return {
        upload: null,
        facts: [],
        problems: ['Choose one native tariff file (.json), or CSV files only'],
      };
    return readNative(f, first.name, await first.text());
  }
  const notCsv = files.filter((file) => !/\.csv$/i.test(file.name));
  if (notCsv.length > 0)
    return {
      upload: null,
      facts: [],
      problems: [
        `${notCsv.map((file) => file.name).join(', ')}: a tariff is a .json document or CGRateS .csv files`,
      ],
    };
  if (files.length > MAX_CGRATES_FILES)
    return { upload: null, facts: [], problems: [`At most ${MAX_CGRATES_FILES} CSV files`] };
  const texts: Record<string, string> = {};
  for (const file of files) texts[file.name] = await file.text();
  const missing = REQUIRED_CGRATES_FILES.filter((name) => texts[name] === undefined);
  const lines = Object.values(texts).reduce(
    (sum, text) => sum + text.split('\n').filter((l) => l.trim() !== '').length,
    0,
  );
  return {
    upload: missing.length === 0 ? { format: 'cgrates', files: texts } : null,
    facts: [`CGRateS tariff plan: ${Object.keys(texts).join(', ')} (${num(f, lines)} lines)`],
    problems: missing.length === 0 ? [] : [`Missing ${missing.join(', ')}`],
  };
}
