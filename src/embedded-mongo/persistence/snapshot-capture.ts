import { Collection } from '../storage/collection';
import { IndexSpec } from '../storage/collection-index';
import { Doc, cloneValue } from '../storage/documents';

interface Preimage {
  /** The document's BSON bytes as they were when the snapshot began; null when it did not exist then. */
  doc: Buffer | null;
  written: boolean;
}

export interface CatalogEntry {
  db: string;
  coll: string;
  options: Doc;
  indexes: IndexSpec[];
  collection: Collection;
}

/**
 * Copy-on-write view of the store as it was at one instant. The catalog (collections, options,
 * index specs) is copied at once; documents are not: the store reports each document's previous
 * version before changing it, and the snapshot writes that version instead of the current one.
 * Stored documents are never modified in place (a change stores new bytes), so unchanged ones are
 * read directly.
 */
export class SnapshotCapture {
  readonly catalog: CatalogEntry[] = [];
  private readonly preimages = new Map<Collection, Map<string, Preimage>>();

  constructor(databases: Map<string, Map<string, Collection>>) {
    for (const [db, collections] of databases) {
      for (const [coll, collection] of collections) {
        this.catalog.push({
          db,
          coll,
          options: cloneValue(collection.options),
          indexes: [...collection.indexes.values()].filter((i) => !i.isIdIndex).map((i) => cloneValue(i.spec)),
          collection,
        });
        this.preimages.set(collection, new Map());
      }
    }
  }

  /** Called by the store before it inserts, replaces or removes the document stored under `id`. */
  beforeChange(collection: Collection, id: string): void {
    const changed = this.preimages.get(collection);
    if (!changed || changed.has(id)) return;
    changed.set(id, { doc: collection.docs.bytes(id) ?? null, written: false });
  }

  /** The version of a document to write when the walk over the live collection reaches it (null: skip). */
  versionToWrite(collection: Collection, id: string, current: Buffer): Buffer | null {
    const pre = this.preimages.get(collection)?.get(id);
    if (!pre) return current;
    if (!pre.doc || pre.written) return null;
    pre.written = true;
    return pre.doc;
  }

  /** Documents deleted (or moved) before the walk reached them: their original versions still belong in the snapshot. */
  *unwritten(collection: Collection): Generator<Buffer> {
    for (const pre of this.preimages.get(collection)?.values() ?? []) {
      if (pre.doc && !pre.written) {
        pre.written = true;
        yield pre.doc;
      }
    }
  }
}
