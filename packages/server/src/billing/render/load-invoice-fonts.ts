import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff-to-sfnt.js';

/** The two weights a PDF document embeds, as font file bytes. */
export interface InvoiceFonts {
  readonly regular: Buffer;
  readonly bold: Buffer;
}

/**
 * Noto Sans's latin subset holds every letter and sign that en, es, fr and de invoices print
 * (€ « » ß ñ ç é ü, the no-break space, the en dash of date ranges) in about 30 KiB per weight;
 * the latin-ext subset holds none of those, only the rarer letters of central European names.
 */
const FONT_FILES = {
  regular: '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff',
  bold: '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff',
} as const;

let loaded: Promise<InvoiceFonts> | undefined;

/** Read and unpacked once per process and shared by every rendering: the files never change while it runs. */
export function loadInvoiceFonts(): Promise<InvoiceFonts> {
  loaded ??= readFonts().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function readFonts(): Promise<InvoiceFonts> {
  const require = createRequire(import.meta.url);
  const [regular, bold] = await Promise.all([
    readFile(require.resolve(FONT_FILES.regular)),
    readFile(require.resolve(FONT_FILES.bold)),
  ]);
  return { regular: woffToSfnt(regular), bold: woffToSfnt(bold) };
}
