import { ErrorCode, ServerError } from '../errors';
import { CollectionIndex, IndexSpec } from './collection-index';
import { DocumentMap } from './document-map';
import { Doc, getPath, idKeyOf } from './documents';
import { formatValue } from './format-value';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };

/** Documents of one collection by `_id` (insertion order is natural order) plus their indexes. */
export class Collection {
  readonly docs = new DocumentMap();
  readonly indexes = new Map<string, CollectionIndex>();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {
    this.indexes.set(ID_INDEX.name, new CollectionIndex(ID_INDEX));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  private duplicate(index: CollectionIndex, doc: Doc): ServerError {
    const keyValue: Doc = {};
    for (const field of index.fields) keyValue[field] = getPath(doc, field) ?? null;
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
    return new ServerError(
      ErrorCode.DuplicateKey,
      `E11000 duplicate key error collection: ${this.ns} index: ${index.spec.name} dup key: { ${shown} }`,
      { keyPattern: index.spec.key, keyValue },
    );
  }

  /** Computes every index's keys for `doc`, failing with 11000 before anything changes. */
  private keysChecked(doc: Doc, id: string): string[][] {
    const all: string[][] = [];
    for (const index of this.indexes.values()) {
      const keys = index.keysFor(doc);
      if (index.conflicts(keys, id)) throw this.duplicate(index, doc);
      all.push(keys);
    }
    return all;
  }

  /** Stores a new document; `bytes`, when given, are its BSON encoding. */
  insert(doc: Doc, bytes?: Buffer): void {
    const id = idKeyOf(doc._id);
    if (this.docs.has(id)) throw this.duplicate(this.indexes.get(ID_INDEX.name)!, doc);
    const keys = this.keysChecked(doc, id);
    let i = 0;
    for (const index of this.indexes.values()) index.add(keys[i++], id);
    this.docs.set(id, doc, bytes);
  }

  /**
   * Swaps in a new version of a stored document (same `_id`), keeping unique indexes intact. Indexes
   * whose fields the new version leaves as they were are not touched (most updates change one or two).
   * `bytes`, when given, are the new version's BSON encoding.
   */
  replace(previous: Doc, next: Doc, bytes?: Buffer): void {
    const id = idKeyOf(previous._id);
    const changed = [...this.indexes.values()].filter((index) => !index.unchangedBy(previous, next));
    const nextKeys = changed.map((index) => {
      const keys = index.keysFor(next);
      if (index.conflicts(keys, id)) throw this.duplicate(index, next);
      return keys;
    });
    changed.forEach((index, i) => {
      const previousKeys = index.keysFor(previous);
      if (previousKeys.length === 1 && nextKeys[i].length === 1) {
        // One key before and after (no array): moved only when it changed.
        if (previousKeys[0] === nextKeys[i][0]) return;
        index.remove(previousKeys, id);
        index.add(nextKeys[i], id);
        return;
      }
      const oldKeys = new Set(previousKeys);
      const added = nextKeys[i].filter((k) => !oldKeys.delete(k));
      index.remove([...oldKeys], id);
      index.add(added, id);
    });
    this.docs.set(id, next, bytes);
  }

  remove(doc: Doc): void {
    const id = idKeyOf(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes.values()) index.remove(index.keysFor(doc), id);
  }

  /** Builds a new index over the existing documents; a unique violation leaves nothing behind. */
  addIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec);
    for (const [id, doc] of this.docs) {
      const keys = index.keysFor(doc);
      if (index.conflicts(keys, id)) throw this.duplicate(index, doc);
      index.add(keys, id);
    }
    this.indexes.set(spec.name, index);
  }

  /** Changes index options that need no rebuild (hidden, expireAfterSeconds). */
  modifyIndex(name: string, changes: { hidden?: boolean; expireAfterSeconds?: number }): void {
    const index = this.indexes.get(name);
    if (!index) return;
    if (changes.hidden !== undefined) {
      if (changes.hidden) index.spec.hidden = true;
      else delete index.spec.hidden;
    }
    if (changes.expireAfterSeconds !== undefined) index.spec.expireAfterSeconds = changes.expireAfterSeconds;
  }
}
