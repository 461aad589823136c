import { fail, ok, type Result } from '@tollgate/core';

/** A tenant's choices for the look of its documents; the content is the document's own. */
export interface InvoiceTemplate {
  /** `#rrggbb`: titles, table rules and the total. */
  readonly accentColor: string;
  /** Printed at the foot of every page (e.g. "Registered in Berlin, HRB 12345"). */
  readonly footerText: string | null;
  /** Prints the itemised usage list when the document carries one. */
  readonly showItemised: boolean;
}

export const DEFAULT_INVOICE_TEMPLATE: InvoiceTemplate = {
  accentColor: '#1f4e79',
  footerText: null,
  showItemised: true,
};

/**
 * The colour goes into CSS and PDF operators as it is, so only the one plain form is accepted:
 * anything else could carry CSS of its own into the page.
 */
const ACCENT_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** One line at the foot of each page; longer text belongs in the document's notes. */
export const MAX_FOOTER_TEXT_LENGTH = 300;

/** A tenant's template from its stored overrides, with the defaults for what it leaves out. */
export function parseInvoiceTemplate(overrides: Partial<InvoiceTemplate>): Result<InvoiceTemplate> {
  const template = { ...DEFAULT_INVOICE_TEMPLATE, ...overrides };
  if (!ACCENT_COLOR_PATTERN.test(template.accentColor)) {
    return fail('invalid_accent_color', `accent colour "${template.accentColor}" is not #rrggbb`);
  }
  if (template.footerText !== null && template.footerText.length > MAX_FOOTER_TEXT_LENGTH) {
    return fail('footer_text_too_long', `footer text is longer than ${MAX_FOOTER_TEXT_LENGTH} characters`);
  }
  return ok(template);
}

/** For the renderers: a template reaching them unchecked is a bug in the caller, so it throws. */
export function checkedInvoiceTemplate(template: InvoiceTemplate): InvoiceTemplate {
  const parsed = parseInvoiceTemplate(template);
  if (!parsed.ok) throw new RangeError(parsed.error.message);
  return parsed.value;
}

/** What the HTML and PDF renderings take besides the document. */
export interface RenderInvoiceOptions {
  /** The tenant's template; the default one when absent. */
  readonly template?: InvoiceTemplate;
}
