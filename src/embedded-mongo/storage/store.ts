import { ErrorCode, ServerError } from '../errors';
import { Collection } from './collection';
import { IndexSpec } from './collection-index';
import { Doc } from './documents';

/** Receives every state change in order; the durable journal implements it. */
export interface ChangeSink {
  record(change: Doc): void;
}

/**
 * All databases and collections. Every mutation goes through here so that it is mirrored, in
 * order, into the change sink (the journal) that recovery replays.
 */
export class Store {
  readonly databases = new Map<string, Map<string, Collection>>();
  sink: ChangeSink | null = null;

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** Existing collection or a new one (implicit creation on first write, as MongoDB does). */
  ensureCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Doc): Collection {
    if (this.collection(db, name)) {
      throw new ServerError(ErrorCode.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    let collections = this.databases.get(db);
    if (!collections) this.databases.set(db, (collections = new Map()));
    const collection = new Collection(db, name, options);
    collections.set(name, collection);
    this.sink?.record({ op: 'createCollection', db, coll: name, options });
    return collection;
  }

  dropCollection(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    if (!collections?.delete(name)) return false;
    if (collections.size === 0) this.databases.delete(db);
    this.sink?.record({ op: 'dropCollection', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.databases.delete(db)) return;
    this.sink?.record({ op: 'dropDatabase', db });
  }

  insert(collection: Collection, doc: Doc): void {
    collection.insert(doc);
    this.sink?.record({ op: 'put', db: collection.db, coll: collection.name, doc });
  }

  replace(collection: Collection, previous: Doc, next: Doc): void {
    collection.replace(previous, next);
    this.sink?.record({ op: 'put', db: collection.db, coll: collection.name, doc: next });
  }

  remove(collection: Collection, doc: Doc): void {
    collection.remove(doc);
    this.sink?.record({ op: 'delete', db: collection.db, coll: collection.name, id: doc._id });
  }

  createIndex(collection: Collection, spec: IndexSpec): void {
    collection.addIndex(spec);
    this.sink?.record({ op: 'createIndex', db: collection.db, coll: collection.name, spec });
  }

  dropIndex(collection: Collection, name: string): void {
    collection.indexes.delete(name);
    this.sink?.record({ op: 'dropIndex', db: collection.db, coll: collection.name, name });
  }
}
