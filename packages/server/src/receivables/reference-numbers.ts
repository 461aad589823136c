/**
 * A document number a payer may have written into a transfer's reference: a series and its
 * digits, as Tollgate numbers invoices (`INV-000042`) and accounts (`A-000123`).
 */
export interface ReferenceNumber {
  /** Upper case, as numbers are stored: `INV`, `A`, `INV-DE`. */
  readonly series: string;
  readonly digits: string;
  /** `${series}-${digits}`: the number as stored. */
  readonly text: string;
}

/** Digits of a number: six at least (numbers are padded to six), at most what an int8 holds. */
const DIGIT_RUN = /(?<![0-9])[0-9]{6,18}(?![0-9])/g;
const SERIES_CHARACTER = /[A-Z0-9-]/;
const SERIES = /^[A-Z0-9-]{1,16}$/;
const HAS_LETTER = /[A-Z]/;
/** References are read this far: remittance text is at most 140 characters in SEPA. */
const MAX_REFERENCE_READ = 1_000;
/** Numbers taken from one reference, so that a pasted table cannot make one line look everything up. */
const MAX_NUMBERS_PER_REFERENCE = 20;

/**
 * The numbers a reference may name, in the order they appear, without repeats. Case does not
 * matter and the dash may be left out or be a space: "inv-000042", "INV000042" and "INV 000042"
 * all name INV-000042. A run of digits is taken with the series just before it; when that series
 * is joined to other words by dashes ("PAYMENT-INV-000042"), each shorter tail is a candidate too.
 * Candidates that name nothing are harmless: the caller looks them up.
 */
export function referenceNumbersIn(reference: string): ReferenceNumber[] {
  const text = reference.slice(0, MAX_REFERENCE_READ).toUpperCase();
  const found = new Map<string, ReferenceNumber>();
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0];
    let seriesEnd = match.index;
    const separator = text[seriesEnd - 1];
    if (separator === '-' || separator === ' ') seriesEnd -= 1;
    let seriesStart = seriesEnd;
    while (seriesStart > 0 && SERIES_CHARACTER.test(text[seriesStart - 1] ?? '')) seriesStart -= 1;
    for (const series of seriesTails(text.slice(seriesStart, seriesEnd))) {
      const number = { series, digits, text: `${series}-${digits}` };
      if (!found.has(number.text)) found.set(number.text, number);
      if (found.size >= MAX_NUMBERS_PER_REFERENCE) return [...found.values()];
    }
  }
  return [...found.values()];
}

/** "PAYMENT-INV" gives "PAYMENT-INV" and "INV": a series may hold dashes, or be the last word only. */
function seriesTails(token: string): string[] {
  const trimmed = token.replace(/^-+|-+$/g, '');
  const tails: string[] = [];
  let rest = trimmed;
  for (let guard = 0; guard < 16 && rest !== ''; guard++) {
    if (SERIES.test(rest) && HAS_LETTER.test(rest)) tails.push(rest);
    const dash = rest.indexOf('-');
    if (dash === -1) break;
    rest = rest.slice(dash + 1);
  }
  return tails;
}

/** The sequence a number's digits stand for, when they are written as Tollgate writes them (padded to six). */
export function sequenceOfDigits(digits: string): bigint | null {
  const sequence = BigInt(digits);
  return sequence.toString().padStart(6, '0') === digits ? sequence : null;
}
