import { escapeHtml } from '../billing/render/escape-html.js';

/**
 * The template language of notifications: text with `{{name}}` placeholders, nothing more. No
 * conditions, loops, helpers or property paths, so a tenant's template can only place values,
 * never run code or reach anything but the values it is given (unlike Handlebars helpers or
 * Lodash templates). In HTML every value is escaped; in text, SMS and subjects it is as given.
 * `{{` followed by anything but a name and `}}` is an error, so a typo is caught when the
 * template is saved rather than sent to customers.
 */
export type TemplatePart = { readonly literal: string } | { readonly placeholder: string };

export type ParsedTemplate =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly message: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}/y;
/** A bound on the work one template may ask for (the longest body the table takes is 100 000). */
const MAX_PLACEHOLDERS = 2000;

export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let position = 0;
  let placeholders = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open === -1) {
      parts.push({ literal: source.slice(position) });
      break;
    }
    if (open > position) parts.push({ literal: source.slice(position, open) });
    PLACEHOLDER.lastIndex = open;
    const match = PLACEHOLDER.exec(source);
    if (match === null) {
      const excerpt = source.slice(open, open + 30);
      return { ok: false, message: `"${excerpt}" at ${open} is not a placeholder: write {{name}}` };
    }
    if (++placeholders > MAX_PLACEHOLDERS)
      return { ok: false, message: `more than ${MAX_PLACEHOLDERS} placeholders` };
    parts.push({ placeholder: match[1] as string });
    position = open + match[0].length;
  }
  return { ok: true, parts };
}

/** The names a template uses, each once. */
export function namesIn(parts: readonly TemplatePart[]): string[] {
  return [...new Set(parts.flatMap((part) => ('placeholder' in part ? [part.placeholder] : [])))];
}

export interface RenderedTemplate {
  readonly text: string;
  /** Placeholders without a value: rendered as nothing. */
  readonly missing: readonly string[];
}

/**
 * Fills a parsed template. `html`: the literals are HTML already (the template's own markup) and
 * the values are escaped.
 */
export function fillTemplate(
  parts: readonly TemplatePart[],
  values: Readonly<Record<string, string>>,
  mode: 'text' | 'html',
): RenderedTemplate {
  const missing = new Set<string>();
  let text = '';
  for (const part of parts) {
    if ('literal' in part) {
      text += part.literal;
      continue;
    }
    const value = Object.hasOwn(values, part.placeholder) ? values[part.placeholder] : undefined;
    if (value === undefined) {
      missing.add(part.placeholder);
      continue;
    }
    text += mode === 'html' ? escapeHtml(value) : value;
  }
  return { text, missing: [...missing] };
}

/**
 * The HTML of a text template, for emails whose template has no HTML of its own: the text is
 * escaped (placeholders are untouched by escaping, and their values are escaped when filled),
 * paragraphs (blank-line separated) become <p>, line breaks <br>.
 */
export function htmlTemplateOfText(textSource: string): string {
  return textSource
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}
