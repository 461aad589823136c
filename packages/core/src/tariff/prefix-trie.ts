/**
 * Longest-prefix matching over destination prefixes, built once per tariff. Digits, by far the
 * common case, live in one flat Int32Array: eleven slots per node, ten children and the id of the
 * prefix ending there, so one node is one cache line or less and a lookup reads one slot per
 * character. `compact()` renumbers the nodes breadth first once the trie is built, so the levels
 * every lookup walks through (country codes) sit together in memory. Any other character
 * (`voicemail`, SIP users) goes through a per-node Map on a slower path.
 *
 * A leading `+` is not part of a prefix: `+4930` and `4930` are the same prefix, and an E.164
 * number `+4930123` matches both (DESIGN.md section 7).
 */
const STRIDE = 11;
const VALUE_SLOT = 10;
const CHAR_0 = 48;
const CHAR_PLUS = 43;
const INITIAL_NODES = 1024;

export class PrefixTrie {
  /** slots[node * 11 + digit] = child node (0 = none: the root is never a child); slot 10 = prefix id + 1. */
  private slots = new Int32Array(INITIAL_NODES * STRIDE);
  private otherChildren = new Map<number, Map<number, number>>();
  private nodeCount = 1;
  private readonly keys: string[] = [];
  private readonly idsByKey = new Map<string, number>();

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
    this.slots[node * STRIDE + VALUE_SLOT] = id + 1;
    return id;
  }

  /**
   * Writes the ids of every prefix of `text` that is in the trie into `out`, longest first, and
   * returns how many. `out` is reused by the caller to keep the rating path free of allocation.
   */
  matches(text: string, out: number[]): number {
    const slots = this.slots;
    let node = 0;
    let found = 0;
    for (let i = text.charCodeAt(0) === CHAR_PLUS ? 1 : 0; i < text.length; i++) {
      const digit = text.charCodeAt(i) - CHAR_0;
      node =
        digit >= 0 && digit <= 9
          ? slots[node * STRIDE + digit]!
          : (this.otherChildren.get(node)?.get(digit + CHAR_0) ?? 0);
      if (node === 0) break;
      const value = slots[node * STRIDE + VALUE_SLOT]!;
      if (value !== 0) out[found++] = value - 1;
    }
    for (let low = 0, high = found - 1; low < high; low++, high--) {
      const swap = out[low]!;
      out[low] = out[high]!;
      out[high] = swap;
    }
    return found;
  }

  /**
   * Renumbers the nodes breadth first and trims the spare capacity. Call once, after the last
   * insert; lookups give the same answers before and after.
   */
  compact(): void {
    const order = new Int32Array(this.nodeCount); // new number -> old number
    const renumbered = new Int32Array(this.nodeCount); // old number -> new number
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const old = order[head]!;
      for (const child of this.childrenOf(old)) {
        renumbered[child] = tail;
        order[tail++] = child;
      }
    }
    const slots = new Int32Array(this.nodeCount * STRIDE);
    for (let node = 0; node < this.nodeCount; node++) {
      const from = order[node]! * STRIDE;
      for (let digit = 0; digit < VALUE_SLOT; digit++) {
        const child = this.slots[from + digit]!;
        slots[node * STRIDE + digit] = child === 0 ? 0 : renumbered[child]!;
      }
      slots[node * STRIDE + VALUE_SLOT] = this.slots[from + VALUE_SLOT]!;
    }
    const others = new Map<number, Map<number, number>>();
    for (const [node, children] of this.otherChildren) {
      others.set(
        renumbered[node]!,
        new Map([...children].map(([char, child]) => [char, renumbered[child]!])),
      );
    }
    this.slots = slots;
    this.otherChildren = others;
  }

  private *childrenOf(node: number): Generator<number> {
    for (let digit = 0; digit < VALUE_SLOT; digit++) {
      const child = this.slots[node * STRIDE + digit]!;
      if (child !== 0) yield child;
    }
    yield* this.otherChildren.get(node)?.values() ?? [];
  }

  private childOrCreate(node: number, charCode: number): number {
    const digit = charCode - CHAR_0;
    if (digit >= 0 && digit <= 9) {
      const slot = node * STRIDE + digit;
      const existing = this.slots[slot]!;
      if (existing !== 0) return existing;
      const created = this.newNode();
      this.slots[slot] = created;
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
    if ((this.nodeCount + 1) * STRIDE > this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    return this.nodeCount++;
  }
}
