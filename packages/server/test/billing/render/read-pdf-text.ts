import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  /** The text of each page: a line per text line, runs of white space as one space. */
  readonly pages: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
}

/** The text of a PDF as a reader extracts it, through an independent PDF implementation. */
export async function readPdfText(bytes: Buffer): Promise<PdfText> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true })
    .promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const content = await (await pdf.getPage(number)).getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join('');
      pages.push(normaliseSpaces(text));
    }
    const metadata = await pdf.getMetadata();
    return { pages, info: metadata.info as Record<string, unknown> };
  } finally {
    await pdf.destroy();
  }
}

/** Extraction yields plain spaces for no-break ones; text to look for is compared the same way. */
export function normaliseSpaces(text: string): string {
  return text.replace(/[ \u00a0\u202f]+/g, ' ');
}
