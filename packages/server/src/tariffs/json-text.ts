const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A key that appears twice in one JSON object, and the offset of its second occurrence. */
export interface DuplicateJsonKey {
  readonly key: string;
  readonly position: number;
}

/**
 * The first key repeated within one object of `json`, which must be valid JSON (JSON.parse keeps
 * the last value of a repeated key without a word; YAML, and so this, rejects it). Keys are
 * compared as JSON.parse reads them, escapes decoded. One pass, without building the values.
 */
export function findDuplicateJsonKey(json: string): DuplicateJsonKey | undefined {
  // The keys seen so far in the object open at each depth; reused, since only one is open per depth.
  const keysByDepth: Set<string>[] = [];
  const isObjectByDepth: boolean[] = [];
  let depth = -1;
  let keys: Set<string> | undefined;
  let expectKey = false;
  const length = json.length;
  for (let index = 0; index < length; index += 1) {
    const code = json.charCodeAt(index);
    if (code === QUOTE) {
      const end = closingQuote(json, index);
      if (expectKey && keys !== undefined) {
        const raw = json.slice(index + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(json.slice(index, end + 1)) as string) : raw;
        if (keys.has(key)) return { key, position: index };
        keys.add(key);
        expectKey = false;
      }
      index = end;
    } else if (code === OPEN_BRACE) {
      depth += 1;
      keys = keysByDepth[depth] ?? new Set<string>();
      keys.clear();
      keysByDepth[depth] = keys;
      isObjectByDepth[depth] = true;
      expectKey = true;
    } else if (code === OPEN_BRACKET) {
      depth += 1;
      keys = undefined;
      isObjectByDepth[depth] = false;
      expectKey = false;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
      keys = depth >= 0 && isObjectByDepth[depth] === true ? keysByDepth[depth] : undefined;
      expectKey = false;
    } else if (code === COMMA) {
      expectKey = keys !== undefined;
    }
  }
  return undefined;
}

/** The offset of the quote closing the string opened at `open` (skipping escaped quotes). */
function closingQuote(json: string, open: number): number {
  let end = json.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (json.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = json.indexOf('"', end + 1);
  }
  return json.length;
}

/** The 1-based line and column of `offset` in `text` (lines end at `\n`; columns count UTF-16 units). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (
    let newline = text.indexOf('\n');
    newline !== -1 && newline < end;
    newline = text.indexOf('\n', newline + 1)
  ) {
    line += 1;
    lineStart = newline + 1;
  }
  return { line, column: end - lineStart + 1 };
}
