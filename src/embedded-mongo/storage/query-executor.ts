import { Query } from 'mingo';
import { badValue } from '../errors';
import { Collection } from './collection';
import { Doc } from './documents';
import { isPlainObject } from './key-encoding';
import { candidates } from './query-planner';

type Collation = NonNullable<Parameters<typeof import('mingo').aggregate>[2]>['collation'];

export interface FindOptions {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
  collation?: Doc;
  /** `{ $natural: 1 }` forces a collection scan; an index name or key must name an existing index. */
  hint?: unknown;
}

function checkHint(collection: Collection, hint: unknown): void {
  if (hint === undefined || hint === null || (isPlainObject(hint) && '$natural' in hint)) return;
  const exists = [...collection.indexes.values()].some((index) =>
    typeof hint === 'string' ? index.spec.name === hint : JSON.stringify(index.spec.key) === JSON.stringify(hint));
  if (!exists) throw badValue('error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Runs a query: index-chosen candidates, mingo for matching, sort, skip, limit and projection. */
export function runFind(collection: Collection | undefined, options: FindOptions): Doc[] {
  if (!collection) return [];
  const filter = options.filter ?? {};
  const query = new Query(filter, options.collation ? { collation: options.collation as unknown as Collation } : {});
  const projection = options.projection && Object.keys(options.projection).length > 0 ? options.projection : undefined;
  checkHint(collection, options.hint);
  let cursor = query.find<Doc>(candidates(collection, filter, options.hint), projection);
  if (options.sort && Object.keys(options.sort).length > 0) cursor = cursor.sort(options.sort as Record<string, 1 | -1>);
  if (options.skip) cursor = cursor.skip(options.skip);
  if (options.limit) cursor = cursor.limit(Math.abs(options.limit));
  const docs = cursor.all();
  return projection ? docs.map(idFirst) : docs;
}

/** Applies a find-style projection to one document. */
export function projectOne(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  return idFirst(new Query({}, {}).find<Doc>([doc], projection).all()[0]);
}

/** Matching documents in natural (or index) order, for writes that must visit them (at most `limit`). */
export function matching(collection: Collection, filter: Doc, limit = 0): Doc[] {
  const query = new Query(filter, {});
  const out: Doc[] = [];
  for (const doc of candidates(collection, filter)) {
    if (!query.test(doc)) continue;
    out.push(doc);
    if (out.length === limit) break;
  }
  return out;
}
