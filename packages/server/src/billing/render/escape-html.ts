const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML character data or a quoted attribute value. Every string of an invoice comes from
 * someone (a customer's name, an operator's note, a tenant's address), so all of it goes through
 * here: the five characters that can end a text node or an attribute are replaced.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}
