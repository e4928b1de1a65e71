/**
 * A sorted multiset of (key, id) pairs kept in bounded chunks: O(log n) seeks and cheap inserts,
 * so index lookups stay flat as a collection grows from thousands to millions of documents.
 */
const CHUNK_MAX = 512;

interface Chunk {
  keys: string[];
  ids: string[];
}

export interface KeyBound {
  key: string;
  inclusive: boolean;
}

function before(k1: string, i1: string, k2: string, i2: string): boolean {
  return k1 < k2 || (k1 === k2 && i1 < i2);
}

export class SortedEntries {
  private chunks: Chunk[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose last entry is not before (key, id); clamps to the last chunk. */
  private chunkFor(key: string, id: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid];
      const last = c.keys.length - 1;
      if (before(c.keys[last], c.ids[last], key, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static position(c: Chunk, key: string, id: string): number {
    let lo = 0;
    let hi = c.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(c.keys[mid], c.ids[mid], key, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * An equal key already stored beside position `p`, else `key`: entries under one key (a low-cardinality
   * field, one batch's receipt time) then hold one string instead of a copy each.
   */
  private static sharedKey(c: Chunk, p: number, key: string): string {
    if (p > 0 && c.keys[p - 1] === key) return c.keys[p - 1];
    if (p < c.keys.length && c.keys[p] === key) return c.keys[p];
    return key;
  }

  insert(key: string, id: string): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push({ keys: [key], ids: [id] });
      return;
    }
    const ci = this.chunkFor(key, id);
    const c = this.chunks[ci];
    const last = c.keys.length - 1;
    if (before(c.keys[last], c.ids[last], key, id)) {
      c.keys.push(c.keys[last] === key ? c.keys[last] : key);
      c.ids.push(id);
    } else {
      const p = SortedEntries.position(c, key, id);
      c.keys.splice(p, 0, SortedEntries.sharedKey(c, p, key));
      c.ids.splice(p, 0, id);
    }
    if (c.keys.length > CHUNK_MAX) {
      const half = c.keys.length >> 1;
      this.chunks.splice(ci + 1, 0, { keys: c.keys.splice(half), ids: c.ids.splice(half) });
    }
  }

  remove(key: string, id: string): boolean {
    if (this.chunks.length === 0) return false;
    const ci = this.chunkFor(key, id);
    const c = this.chunks[ci];
    const p = SortedEntries.position(c, key, id);
    if (c.keys[p] !== key || c.ids[p] !== id) return false;
    c.keys.splice(p, 1);
    c.ids.splice(p, 1);
    if (c.keys.length === 0) this.chunks.splice(ci, 1);
    this.count--;
    return true;
  }

  /** Ids whose key lies within the bounds, in key order. Bounds compare on the key only. */
  *range(lo: KeyBound | null, hi: KeyBound | null): Generator<[string, string]> {
    if (this.chunks.length === 0) return;
    // An exclusive lower bound seeks past every id of that key; ids never start with U+FFFF.
    const startId = lo && !lo.inclusive ? '\uffff' : '';
    let ci = lo ? this.chunkFor(lo.key, startId) : 0;
    let p = lo ? SortedEntries.position(this.chunks[ci], lo.key, startId) : 0;
    for (; ci < this.chunks.length; ci++, p = 0) {
      const c = this.chunks[ci];
      for (; p < c.keys.length; p++) {
        const key = c.keys[p];
        if (lo && (lo.inclusive ? key < lo.key : key <= lo.key)) continue;
        if (hi && (hi.inclusive ? key > hi.key : key >= hi.key)) return;
        yield [key, c.ids[p]];
      }
    }
  }

  /** Position of the first entry not before (key, id): chunk and offset, or one past the end. */
  private seek(key: string, id: string): { ci: number; p: number } {
    if (this.chunks.length === 0) return { ci: 0, p: 0 };
    const ci = this.chunkFor(key, id);
    const p = SortedEntries.position(this.chunks[ci], key, id);
    return p < this.chunks[ci].keys.length ? { ci, p } : { ci: ci + 1, p: 0 };
  }

  /**
   * Up to `max` entries within the bounds, in key order or reversed, strictly after the entry
   * `after` in that order. Each call seeks afresh, so a long read can stop between batches while
   * writes change the structure, and resume exactly where it left off.
   */
  batch(
    lo: KeyBound | null,
    hi: KeyBound | null,
    reverse: boolean,
    after: [string, string] | null,
    max: number,
  ): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const below = (key: string) => lo !== null && (lo.inclusive ? key < lo.key : key <= lo.key);
    const above = (key: string) => hi !== null && (hi.inclusive ? key > hi.key : key >= hi.key);
    if (!reverse) {
      let { ci, p } = after
        ? this.seek(after[0], after[1] + '\u0000')
        : lo
          ? this.seek(lo.key, lo.inclusive ? '' : '\uffff')
          : { ci: 0, p: 0 };
      for (; ci < this.chunks.length && out.length < max; ci++, p = 0) {
        const c = this.chunks[ci];
        for (; p < c.keys.length && out.length < max; p++) {
          if (above(c.keys[p])) return out;
          if (!below(c.keys[p])) out.push([c.keys[p], c.ids[p]]);
        }
      }
      return out;
    }
    let { ci, p } = after
      ? this.seek(after[0], after[1])
      : hi
        ? this.seek(hi.key, hi.inclusive ? '\uffff' : '')
        : { ci: this.chunks.length, p: 0 };
    p--; // step back from the first entry not before the start, to the last entry before it
    if (p < 0) p = ci > 0 ? this.chunks[--ci].keys.length - 1 : -1;
    for (; ci >= 0 && p >= 0 && out.length < max;) {
      const c = this.chunks[ci];
      if (below(c.keys[p])) return out;
      if (!above(c.keys[p])) out.push([c.keys[p], c.ids[p]]);
      if (--p < 0 && ci > 0) p = this.chunks[--ci].keys.length - 1;
    }
    return out;
  }

  /** Whether some id other than `selfId` is stored under `key` (the unique-index check). */
  hasOtherId(key: string, selfId: string): boolean {
    if (this.chunks.length === 0) return false;
    let ci = this.chunkFor(key, '');
    for (let p = SortedEntries.position(this.chunks[ci], key, ''); ci < this.chunks.length; ci++, p = 0) {
      const c = this.chunks[ci];
      for (; p < c.keys.length; p++) {
        if (c.keys[p] !== key) return false;
        if (c.ids[p] !== selfId) return true;
      }
    }
    return false;
  }

  /** Every id in key order, or in reverse key order. */
  *ids(reverse: boolean): Generator<string> {
    if (!reverse) {
      for (const c of this.chunks) yield* c.ids;
      return;
    }
    for (let ci = this.chunks.length - 1; ci >= 0; ci--) {
      const ids = this.chunks[ci].ids;
      for (let p = ids.length - 1; p >= 0; p--) yield ids[p];
    }
  }

  /** Ids stored under exactly this key. */
  *idsWithKey(key: string): Generator<string> {
    for (const [, id] of this.range({ key, inclusive: true }, { key, inclusive: true })) yield id;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
