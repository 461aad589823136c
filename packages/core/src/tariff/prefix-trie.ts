/**
 * Longest-prefix matching over destination prefixes, built once per tariff. Digits, by far the
 * common case, index a flat Int32Array (ten children per node), so a 200,000-prefix deck is a few
 * megabytes and a lookup is one array read per character. Any other character (`voicemail`, SIP
 * users) goes through a per-node Map on a slower path.
 *
 * A leading `+` is not part of a prefix: `+4930` and `4930` are the same prefix, and an E.164
 * number `+4930123` matches both (DESIGN.md section 7).
 */
const DIGIT_FANOUT = 10;
const CHAR_0 = 48;
const CHAR_PLUS = 43;

export class PrefixTrie {
  /** children[node * 10 + digit] = child node, 0 = none (the root is never a child). */
  private children: Int32Array;
  /** values[node] = prefix id + 1, 0 = no prefix ends here. */
  private values: Int32Array;
  private readonly otherChildren = new Map<number, Map<number, number>>();
  private nodeCount = 1;
  private readonly keys: string[] = [];
  private readonly idsByKey = new Map<string, number>();

  constructor(expectedCharacters = 1024) {
    const capacity = Math.max(16, expectedCharacters + 1);
    this.children = new Int32Array(capacity * DIGIT_FANOUT);
    this.values = new Int32Array(capacity);
  }

  /** The prefix as matched: without a leading `+`. */
  static key(prefix: string): string {
    return prefix.charCodeAt(0) === CHAR_PLUS ? prefix.slice(1) : prefix;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The normalised prefix text of an id. */
  prefixOf(id: number): string {
    const key = this.keys[id];
    if (key === undefined) throw new RangeError(`PrefixTrie: unknown prefix id ${id}`);
    return key;
  }

  /** Adds a prefix (idempotent) and returns its id. */
  insert(prefix: string): number {
    const key = PrefixTrie.key(prefix);
    if (key.length === 0) throw new RangeError('PrefixTrie: empty prefix');
    const known = this.idsByKey.get(key);
    if (known !== undefined) return known;
    let node = 0;
    for (let i = 0; i < key.length; i++) node = this.childOrCreate(node, key.charCodeAt(i));
    const id = this.keys.length;
    this.keys.push(key);
    this.idsByKey.set(key, id);
    this.values[node] = id + 1;
    return id;
  }

  /**
   * Writes the ids of every prefix of `text` that is in the trie into `out`, longest first, and
   * returns how many. `out` is reused by the caller to keep the rating path free of allocation.
   */
  matches(text: string, out: number[]): number {
    let node = 0;
    let found = 0;
    const start = text.charCodeAt(0) === CHAR_PLUS ? 1 : 0;
    for (let i = start; i < text.length; i++) {
      const digit = text.charCodeAt(i) - CHAR_0;
      node =
        digit >= 0 && digit <= 9
          ? (this.children[node * DIGIT_FANOUT + digit] ?? 0)
          : (this.otherChildren.get(node)?.get(text.charCodeAt(i)) ?? 0);
      if (node === 0) break;
      const value = this.values[node] ?? 0;
      if (value !== 0) out[found++] = value - 1;
    }
    out.length = found;
    return out.reverse().length;
  }

  private childOrCreate(node: number, charCode: number): number {
    const digit = charCode - CHAR_0;
    if (digit >= 0 && digit <= 9) {
      const slot = node * DIGIT_FANOUT + digit;
      const existing = this.children[slot] ?? 0;
      if (existing !== 0) return existing;
      const created = this.newNode();
      this.children[slot] = created;
      return created;
    }
    let others = this.otherChildren.get(node);
    if (others === undefined) {
      others = new Map();
      this.otherChildren.set(node, others);
    }
    const existing = others.get(charCode);
    if (existing !== undefined) return existing;
    const created = this.newNode();
    others.set(charCode, created);
    return created;
  }

  private newNode(): number {
    if (this.nodeCount === this.values.length) this.grow();
    return this.nodeCount++;
  }

  private grow(): void {
    const capacity = this.values.length * 2;
    const children = new Int32Array(capacity * DIGIT_FANOUT);
    children.set(this.children);
    const values = new Int32Array(capacity);
    values.set(this.values);
    this.children = children;
    this.values = values;
  }
}
