/**
 * PostgreSQL array literals (section 8.15.2 of its manual) built in one pass, for bulk statements
 * that send a column of thousands of values as one parameter (`$1::uuid[]`). The drivers would
 * build the same text element by element with two regular expressions each; on the bulk paths
 * that is most of the client's work. Elements of types whose text never holds a quote, a
 * backslash, a comma, a brace or white space (uuids, integers) are written bare; text is always
 * quoted, with `"` and `\` escaped. `null` is the SQL NULL.
 */
export function bareArrayLiteral(values: readonly (string | number | bigint | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const value = values[i] as string | number | bigint | null;
    text += value === null ? 'NULL' : String(value);
  }
  return `${text}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

export function textArrayLiteral(values: readonly (string | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const value = values[i] as string | null;
    if (value === null) text += 'NULL';
    else text += NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`;
  }
  return `${text}}`;
}
