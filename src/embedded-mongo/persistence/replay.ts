import { IndexSpec } from '../storage/collection-index';
import { Doc, idKeyOf } from '../storage/documents';
import { Store } from '../storage/store';

/**
 * Applies one journal or snapshot record to the store with the journal detached. Records hold
 * post-images, so replaying them is idempotent: replaying a prefix twice gives the same state.
 */
export function applyRecord(store: Store, record: Doc): void {
  const db = String(record.db);
  const coll = String(record.coll);
  switch (record.op) {
    case 'createCollection':
      if (!store.collection(db, coll)) store.createCollection(db, coll, (record.options as Doc) ?? {});
      return;
    case 'dropCollection':
      store.dropCollection(db, coll);
      return;
    case 'dropDatabase':
      store.dropDatabase(db);
      return;
    case 'createIndex': {
      const collection = store.ensureCollection(db, coll);
      const spec = record.spec as IndexSpec;
      if (!collection.indexes.has(spec.name)) collection.addIndex(spec);
      return;
    }
    case 'modifyIndex':
      store.collection(db, coll)?.modifyIndex(String(record.name), {
        hidden: record.hidden as boolean | undefined,
        expireAfterSeconds: record.expireAfterSeconds as number | undefined,
      });
      return;
    case 'dropIndex':
      store.collection(db, coll)?.indexes.delete(String(record.name));
      return;
    case 'put': {
      const collection = store.ensureCollection(db, coll);
      const doc = record.doc as Doc;
      const previous = collection.docs.get(idKeyOf(doc._id));
      if (previous) collection.replace(previous, doc);
      else collection.insert(doc);
      return;
    }
    case 'delete': {
      const collection = store.collection(db, coll);
      const previous = collection?.docs.get(idKeyOf(record.id));
      if (collection && previous) collection.remove(previous);
      return;
    }
    default:
      throw new Error(`unknown journal record ${String(record.op)}`);
  }
}
