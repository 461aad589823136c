export type ParsedFields =
  | { readonly kind: 'fields'; readonly fields: string[] }
  /** The text ends inside a quoted field: the record goes on after the line break. */
  | { readonly kind: 'open' }
  | { readonly kind: 'broken'; readonly message: string };

const OPEN: ParsedFields = { kind: 'open' };

/**
 * Splits delimited records into fields, RFC 4180 style: a field may be quoted, and a quoted field
 * may hold the delimiter, a doubled quote (one quote) and line breaks. It is fed a record's first
 * line, then, while the record is open, each line break with the next line: it goes on where it
 * stopped, so a record costs one pass whatever its number of lines.
 *
 * Strict where a mistake would shift columns: a closing quote must be followed by the delimiter
 * or the end of the line. Lenient where nothing can shift: a quote inside an unquoted field
 * (12" screen) is kept as written.
 */
export class DelimitedFieldParser {
  private readonly delimiter: string;
  /** '' when the format quotes nothing. */
  private readonly quote: string;
  private fields: string[] = [];
  /** The quoted field read so far, while the record is open. */
  private field = '';

  constructor(delimiter: string, quote: string) {
    if (delimiter.length !== 1 || quote.length > 1 || delimiter === quote)
      throw new RangeError(`delimiter ${JSON.stringify(delimiter)} and quote ${JSON.stringify(quote)}`);
    this.delimiter = delimiter;
    this.quote = quote;
  }

  /** Parses the first line of a record. */
  begin(line: string): ParsedFields {
    // Most lines of most files quote nothing: the platform's split is the fast way.
    if (this.quote === '' || line.indexOf(this.quote) === -1)
      return { kind: 'fields', fields: line.split(this.delimiter) };
    this.fields = [];
    this.field = '';
    return this.parse(line, 0, false);
  }

  /** Goes on with an open record: `text` is the line break and the next line. */
  resume(text: string): ParsedFields {
    return this.parse(text, 0, true);
  }

  private parse(text: string, from: number, inQuotes: boolean): ParsedFields {
    const { delimiter, quote, fields } = this;
    let position = from;
    let quoted = inQuotes;
    // Each turn consumes at least one character, or returns.
    for (let turn = 0; turn <= text.length + 1; turn++) {
      if (!quoted) {
        if (quote !== '' && text.startsWith(quote, position)) {
          quoted = true;
          this.field = '';
          position++;
          continue;
        }
        const fieldEnd = text.indexOf(delimiter, position);
        if (fieldEnd === -1) {
          fields.push(text.slice(position));
          return this.done();
        }
        fields.push(text.slice(position, fieldEnd));
        position = fieldEnd + 1;
        continue;
      }
      const closing = text.indexOf(quote, position);
      if (closing === -1) {
        this.field += text.slice(position);
        return OPEN;
      }
      this.field += text.slice(position, closing);
      const next = closing + 1;
      if (next === text.length) {
        fields.push(this.field);
        return this.done();
      }
      const after = text[next];
      if (after === quote) {
        this.field += quote;
        position = next + 1;
      } else if (after === delimiter) {
        fields.push(this.field);
        quoted = false;
        position = next + 1;
      } else {
        return {
          kind: 'broken',
          message: `field ${fields.length + 1}: its closing quote is followed by ${JSON.stringify(after)}, not the delimiter ${JSON.stringify(delimiter)}`,
        };
      }
    }
    throw new Error('DelimitedFieldParser: a turn consumed nothing');
  }

  private done(): ParsedFields {
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    return { kind: 'fields', fields };
  }
}
