import { ErrorCode, ServerError } from '../errors';
import { own } from './bson-values';
import { Collation, parseCollation } from './collation';
import { Doc, idKeyOf, valuesAtPath } from './documents';
import { Matcher, compileFilter } from './filter/compile-filter';
import { StringKey, encodeKeyValue } from './key-encoding';
import { SortedEntries } from './sorted-entries';

/** An index definition as stored and listed (`listIndexes` returns it with `v: 2`). */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  /** Hidden indexes are maintained (and enforce uniqueness) but never chosen by the planner. */
  hidden?: boolean;
  collation?: Doc;
}

const MAX_KEYS_PER_DOC = 10_000;

/** One index: a sorted (key, id) structure maintained on every write, multikey over arrays. */
export class CollectionIndex {
  readonly entries = new SortedEntries();
  readonly fields: string[];
  /** Set once any document contributes several keys; range plans then use one bound only. */
  multikey = false;
  private readonly partial: Matcher | null;
  /** Strings are indexed by their collation key, so a unique index honours the collation. */
  private readonly strings: StringKey | undefined;
  readonly collation: Collation | null;
  /** Every indexed field is a top-level one (no dotted path). */
  private readonly topLevel: boolean;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
    this.collation = parseCollation(spec.collation);
    this.strings = this.collation?.key;
    this.topLevel = this.fields.every((field) => !field.includes('.'));
  }

  /** Whether the planner may read this index for a query under the given collation (simple when null). */
  usableFor(collation: Collation | null): boolean {
    if (this.spec.hidden || this.spec.partialFilterExpression || this.spec.sparse) return false;
    return this.collation === null && collation === null;
  }

  get isIdIndex(): boolean {
    return this.spec.name === '_id_';
  }

  /**
   * Whether `next` surely contributes the same keys as `previous`: every indexed path reaches the same
   * scalars in both (a document rewritten by an update that did not touch them), or for the `_id` index the
   * same `_id`. Conservative: an object, an array element that is one, or a partial filter (which may read
   * other fields) says no.
   */
  unchangedBy(previous: Doc, next: Doc): boolean {
    if (this.isIdIndex) return idKeyOf(previous._id) === idKeyOf(next._id);
    if (this.partial) return false;
    for (const field of this.fields) {
      if (this.topLevel) {
        // A top-level field holding no array in either version reaches one value: its own.
        const a = own(previous, field);
        const b = own(next, field);
        if (!Array.isArray(a) && !Array.isArray(b)) {
          if (!sameScalar(a, b)) return false;
          continue;
        }
      }
      const before = valuesAtPath(previous, field);
      const after = valuesAtPath(next, field);
      if (before.length !== after.length) return false;
      for (let i = 0; i < before.length; i++) if (!sameScalar(before[i], after[i])) return false;
    }
    return true;
  }

  /** The distinct keys a document contributes, or an empty list when it is outside the index. */
  keysFor(doc: Doc): string[] {
    if (this.isIdIndex) return [idKeyOf(doc._id)];
    if (this.partial && !this.partial(doc)) return [];
    if (this.topLevel) {
      // Fast path for top-level fields holding no array: one key, each field's value encoded in turn.
      const key = this.topLevelKey(doc);
      if (key !== undefined) return key === null ? [] : [key];
    }
    const perField = this.fields.map((field) => valuesAtPath(doc, field));
    if (this.spec.sparse && perField.every((values) => values.every((v) => v === undefined))) return [];
    let keys = [''];
    for (const values of perField) {
      const encoded = [...new Set(values.map((v) => encodeKeyValue(v, this.strings)))];
      if (encoded.length > 1) this.multikey = true;
      keys = keys.flatMap((prefix) => encoded.map((e) => prefix + e));
      if (keys.length > MAX_KEYS_PER_DOC) {
        throw new ServerError(
          ErrorCode.CannotCreateIndex,
          `document generates too many keys for index ${this.spec.name}`,
        );
      }
    }
    return keys;
  }

  /**
   * The one key of a document whose indexed (top-level) fields hold no array, null when a sparse index
   * leaves it out (none of them present), or undefined when one holds an array (multikey: see keysFor).
   */
  private topLevelKey(doc: Doc): string | null | undefined {
    let key = '';
    let present = false;
    for (const field of this.fields) {
      const value = own(doc, field);
      if (Array.isArray(value)) return undefined;
      if (value !== undefined) present = true;
      key += encodeKeyValue(value, this.strings);
    }
    return this.spec.sparse && !present ? null : key;
  }

  /** Whether another document already holds one of these keys in a unique index. */
  conflicts(keys: string[], selfId: string): boolean {
    if (!this.spec.unique) return false;
    for (const key of keys) if (this.entries.hasOtherId(key, selfId)) return true;
    return false;
  }

  add(keys: string[], id: string): void {
    for (const key of keys) this.entries.insert(key, id);
  }

  remove(keys: string[], id: string): void {
    for (const key of keys) this.entries.remove(key, id);
  }

  /** `{ v: 2, key, name, ...options }` as listIndexes reports it. */
  describe(): Doc {
    const { key, name, ...options } = this.spec;
    return { v: 2, key, name, ...options };
  }
}

/** Equal scalars (dates by instant); anything else (sub-documents, BSON classes) counts as different. */
function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return a === null || typeof a !== 'object';
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}
