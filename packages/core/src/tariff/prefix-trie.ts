/**
 * Longest-prefix matching over destination prefixes, built once per tariff.
 *
 * Rating a call on a 200,000-prefix deck is bound by memory latency, not arithmetic, so the trie
 * is laid out to be small: PrefixTrieBuilder collects prefixes in a simple wide layout, then
 * build() renumbers the nodes breadth first into four int32s each: a bitmap of the digits that
 * have a child, the number of the first child (the children of a node are consecutive), the
 * prefix id ending there and its group. A 200,000-prefix deck takes about 4 MB, most of it in cache, and a
 * lookup reads one node per digit. Any other character (`voicemail`, SIP users) goes through a
 * per-node Map on a slower path.
 *
 * A leading `+` is not part of a prefix: `+4930` and `4930` are the same prefix, and an E.164
 * number `+4930123` matches both (DESIGN.md section 7).
 */
const CHAR_0 = 48;
const CHAR_PLUS = 43;
const DIGITS = 10;

/** Node layout of a built trie: [digit bitmap, first child, prefix id + 1 (0: none), its group]. */
const NODE_STRIDE = 4;
const NODE_DIGITS = 0;
const NODE_FIRST_CHILD = 1;
const NODE_VALUE = 2;
const NODE_GROUP = 3;

/** POPCOUNT[bits] for 10-bit digit bitmaps: the rank of a child among its siblings. */
const POPCOUNT = Uint8Array.from({ length: 1 << DIGITS }, (_, bits) => {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
});

function keyOf(prefix: string): string {
  return prefix.charCodeAt(0) === CHAR_PLUS ? prefix.slice(1) : prefix;
}

export class PrefixTrie {
  /** @internal Built by PrefixTrieBuilder. */
  constructor(
    private readonly nodes: Int32Array,
    private readonly otherChildren: ReadonlyMap<number, ReadonlyMap<number, number>>,
    private readonly keys: readonly string[],
  ) {}

  /** The prefix as matched: without a leading `+`. */
  static key(prefix: string): string {
    return keyOf(prefix);
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

  /**
   * Writes the ids of every prefix of `text` that is in the trie into `out`, longest first, and
   * their groups into `groups` (when given), and returns how many. The arrays are reused by the
   * caller to keep the rating path free of allocation.
   */
  matches(text: string, out: number[], groups?: number[]): number {
    const nodes = this.nodes;
    let at = 0;
    let found = 0;
    for (let i = text.charCodeAt(0) === CHAR_PLUS ? 1 : 0; i < text.length; i++) {
      const digit = text.charCodeAt(i) - CHAR_0;
      let child: number;
      if (digit >= 0 && digit <= 9) {
        const bits = nodes[at + NODE_DIGITS]!;
        if ((bits & (1 << digit)) === 0) break;
        child = nodes[at + NODE_FIRST_CHILD]! + POPCOUNT[bits & ((1 << digit) - 1)]!;
      } else {
        child = this.otherChildren.get(at / NODE_STRIDE)?.get(digit + CHAR_0) ?? -1;
        if (child < 0) break;
      }
      at = child * NODE_STRIDE;
      const value = nodes[at + NODE_VALUE]!;
      if (value !== 0) {
        if (groups !== undefined) groups[found] = nodes[at + NODE_GROUP]!;
        out[found++] = value - 1;
      }
    }
    reverse(out, found);
    if (groups !== undefined) reverse(groups, found);
    return found;
  }
}

function reverse(values: number[], count: number): void {
  for (let low = 0, high = count - 1; low < high; low++, high--) {
    const swap = values[low]!;
    values[low] = values[high]!;
    values[high] = swap;
  }
}

/** Collects prefixes, then builds the compact PrefixTrie. */
export class PrefixTrieBuilder {
  /** Wide layout while building: ten child slots (0 = none) and the prefix id + 1 per node. */
  private children = new Int32Array(1024 * DIGITS);
  private values = new Int32Array(1024);
  private readonly otherChildren = new Map<number, Map<number, number>>();
  private nodeCount = 1;
  private readonly keys: string[] = [];
  private readonly idsByKey = new Map<string, number>();

  get size(): number {
    return this.keys.length;
  }

  /** Adds a prefix (idempotent) and returns its id. */
  insert(prefix: string): number {
    const key = keyOf(prefix);
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
   * Numbers the nodes breadth first, digits in order before other characters, and packs them.
   * `groupOfPrefix[id]` is stored beside each prefix (the caller's grouping; 0 when not given).
   */
  build(groupOfPrefix?: Int32Array): PrefixTrie {
    const order = new Int32Array(this.nodeCount); // new number -> old number
    const renumbered = new Int32Array(this.nodeCount); // old number -> new number
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      for (const child of this.childrenOf(order[head]!)) {
        renumbered[child] = tail;
        order[tail++] = child;
      }
    }
    const nodes = new Int32Array(this.nodeCount * NODE_STRIDE);
    const others = new Map<number, Map<number, number>>();
    for (let node = 0; node < this.nodeCount; node++) {
      const old = order[node]!;
      let bits = 0;
      let first = 0;
      for (let digit = DIGITS - 1; digit >= 0; digit--) {
        const child = this.children[old * DIGITS + digit]!;
        if (child === 0) continue;
        bits |= 1 << digit;
        first = renumbered[child]!;
      }
      nodes[node * NODE_STRIDE + NODE_DIGITS] = bits;
      nodes[node * NODE_STRIDE + NODE_FIRST_CHILD] = first;
      const value = this.values[old]!;
      nodes[node * NODE_STRIDE + NODE_VALUE] = value;
      nodes[node * NODE_STRIDE + NODE_GROUP] = value === 0 ? 0 : (groupOfPrefix?.[value - 1] ?? 0);
      const oldOthers = this.otherChildren.get(old);
      if (oldOthers !== undefined) {
        others.set(node, new Map([...oldOthers].map(([char, child]) => [char, renumbered[child]!])));
      }
    }
    return new PrefixTrie(nodes, others, [...this.keys]);
  }

  private *childrenOf(node: number): Generator<number> {
    for (let digit = 0; digit < DIGITS; digit++) {
      const child = this.children[node * DIGITS + digit]!;
      if (child !== 0) yield child;
    }
    yield* this.otherChildren.get(node)?.values() ?? [];
  }

  private childOrCreate(node: number, charCode: number): number {
    const digit = charCode - CHAR_0;
    if (digit >= 0 && digit <= 9) {
      const slot = node * DIGITS + digit;
      const existing = this.children[slot]!;
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
    if (this.nodeCount === this.values.length) {
      const children = new Int32Array(this.children.length * 2);
      children.set(this.children);
      const values = new Int32Array(this.values.length * 2);
      values.set(this.values);
      this.children = children;
      this.values = values;
    }
    return this.nodeCount++;
  }
}
