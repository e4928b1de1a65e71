import { ErrorCode, ServerError } from '../errors';
import { Collection } from './collection';
import { IndexSpec } from './collection-index';
import { encodeDocument } from './document-map';
import { Doc, idKeyOf } from './documents';

/** Learns of each document about to change, so a snapshot in progress can keep its earlier version. */
export interface ChangeObserver {
  beforeChange(collection: Collection, id: string): void;
}

/** Receives every state change in order; the durable journal implements it. */
export interface ChangeSink {
  /** Encodes a change; called before the change is applied, so an unencodable change never happens. */
  encode(change: Doc): Buffer;
  /** Encodes the change that stores a document, from the document's BSON bytes (the store's own copy). */
  encodePut(db: string, coll: string, doc: Buffer): Buffer;
  /** Queues an encoded change once it has been applied. */
  append(encoded: Buffer): void;
}

/**
 * All databases and collections. Every mutation goes through here so that it is mirrored, in
 * order, into the change sink (the journal) that recovery replays.
 */
export class Store {
  readonly databases = new Map<string, Map<string, Collection>>();
  sink: ChangeSink | null = null;
  capture: ChangeObserver | null = null;

  private commit(encoded: Buffer | undefined): void {
    if (encoded) this.sink!.append(encoded);
  }

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
    const encoded = this.sink?.encode({ op: 'createCollection', db, coll: name, options });
    const collection = new Collection(db, name, options);
    collections.set(name, collection);
    this.commit(encoded);
    return collection;
  }

  dropCollection(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    if (!collections?.delete(name)) return false;
    if (collections.size === 0) this.databases.delete(db);
    this.commit(this.sink?.encode({ op: 'dropCollection', db, coll: name }));
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.databases.delete(db)) return;
    this.commit(this.sink?.encode({ op: 'dropDatabase', db }));
  }

  /** Stores a new document; `bytes`, when given, are its BSON encoding (made here otherwise). */
  insert(collection: Collection, doc: Doc, bytes = encodeDocument(doc)): void {
    const encoded = this.sink?.encodePut(collection.db, collection.name, bytes);
    this.capture?.beforeChange(collection, idKeyOf(doc._id));
    collection.insert(doc, bytes);
    this.commit(encoded);
  }

  /** Stores a new version of a document; `bytes`, when given, are its BSON encoding. */
  replace(collection: Collection, previous: Doc, next: Doc, bytes = encodeDocument(next)): void {
    const encoded = this.sink?.encodePut(collection.db, collection.name, bytes);
    this.capture?.beforeChange(collection, idKeyOf(previous._id));
    collection.replace(previous, next, bytes);
    this.commit(encoded);
  }

  remove(collection: Collection, doc: Doc): void {
    const encoded = this.sink?.encode({ op: 'delete', db: collection.db, coll: collection.name, id: doc._id });
    this.capture?.beforeChange(collection, idKeyOf(doc._id));
    collection.remove(doc);
    this.commit(encoded);
  }

  createIndex(collection: Collection, spec: IndexSpec): void {
    const encoded = this.sink?.encode({ op: 'createIndex', db: collection.db, coll: collection.name, spec });
    collection.addIndex(spec);
    this.commit(encoded);
  }

  /** collMod on an index: hidden and expireAfterSeconds are the options that can change in place. */
  modifyIndex(collection: Collection, name: string, changes: { hidden?: boolean; expireAfterSeconds?: number }): void {
    const encoded = this.sink?.encode({
      op: 'modifyIndex',
      db: collection.db,
      coll: collection.name,
      name,
      ...changes,
    });
    collection.modifyIndex(name, changes);
    this.commit(encoded);
  }

  dropIndex(collection: Collection, name: string): void {
    const encoded = this.sink?.encode({ op: 'dropIndex', db: collection.db, coll: collection.name, name });
    collection.indexes.delete(name);
    this.commit(encoded);
  }
}
