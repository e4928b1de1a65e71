import { Query } from 'mingo';
import { badValue } from '../errors';
import { Collection } from './collection';
import { Doc } from './documents';
import { isPlainObject } from './key-encoding';
import { candidates, readPlan } from './plan-reader';
import { planQuery } from './query-planner';
import { compileSimpleFilter } from './simple-filter';
import { indexForSort, parseSort, sortDocuments } from './sort';
import { MINGO_OPTIONS } from './mingo-options';

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
    typeof hint === 'string' ? index.spec.name === hint : JSON.stringify(index.spec.key) === JSON.stringify(hint),
  );
  if (!exists) {
    throw badValue(
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
}

function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function isNatural(hint: unknown): boolean {
  return isPlainObject(hint) && '$natural' in hint;
}

type Matcher = (doc: Doc) => boolean;

/** The direct matcher for simple filters, mingo for everything else. */
function matcherFor(filter: Doc): Matcher {
  const simple = compileSimpleFilter(filter);
  if (simple) return simple;
  const query = new Query(filter, MINGO_OPTIONS);
  return (doc) => query.test(doc);
}

/** Walks an index in sort order, keeping matches until `wanted` (0 = all) are found. */
function inIndexOrder(
  collection: Collection,
  ordered: NonNullable<ReturnType<typeof indexForSort>>,
  test: Matcher,
  wanted: number,
): Doc[] {
  const seen = new Set<string>();
  const out: Doc[] = [];
  for (const id of ordered.index.entries.ids(ordered.reverse)) {
    // A multikey index lists a document once per element; its first sighting is its sort position.
    if (seen.has(id)) continue;
    seen.add(id);
    const doc = collection.docs.get(id);
    if (doc && test(doc)) out.push(doc);
    if (out.length === wanted) break;
  }
  return out;
}

function findWithCollation(
  collection: Collection,
  filter: Doc,
  options: FindOptions,
  projection: Doc | undefined,
): Doc[] {
  const query = new Query(filter, { ...MINGO_OPTIONS, collation: options.collation as unknown as Collation });
  let cursor = query.find<Doc>(candidates(collection, filter, options.hint), projection);
  if (options.sort && Object.keys(options.sort).length > 0) {
    cursor = cursor.sort(options.sort as Record<string, 1 | -1>);
  }
  if (options.skip) cursor = cursor.skip(options.skip);
  if (options.limit) cursor = cursor.limit(Math.abs(options.limit));
  return cursor.all();
}

/**
 * Runs a query: candidates from the chosen index (or an index walked in sort order when the filter
 * has no usable index), mingo for matching and projection, BSON-order sorting, then skip and limit.
 */
export function runFind(collection: Collection | undefined, options: FindOptions): Doc[] {
  if (!collection) return [];
  const filter = options.filter ?? {};
  checkHint(collection, options.hint);
  const projection = options.projection && Object.keys(options.projection).length > 0 ? options.projection : undefined;
  if (options.collation) return findWithCollation(collection, filter, options, projection).map(idFirst);
  const skip = options.skip ?? 0;
  const limit = Math.abs(options.limit ?? 0);
  const sort = parseSort(options.sort);
  const test = matcherFor(filter);
  const plan = isNatural(options.hint) ? { index: null, intervals: [] } : planQuery(collection, filter);
  const ordered = plan.index === null && !isNatural(options.hint) ? indexForSort(collection, sort) : null;
  let docs: Doc[];
  if (ordered) {
    docs = inIndexOrder(collection, ordered, test, limit > 0 ? skip + limit : 0).slice(skip);
  } else {
    docs = readPlan(collection, filter, plan).docs.filter(test);
    if (sort.length > 0) docs = sortDocuments(docs, sort);
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
  }
  if (!projection) return docs;
  return new Query({}, MINGO_OPTIONS).find<Doc>(docs, projection).all().map(idFirst);
}

/** Applies a find-style projection to one document. */
export function projectOne(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  return idFirst(new Query({}, MINGO_OPTIONS).find<Doc>([doc], projection).all()[0]);
}

/** Matching documents in natural (or index) order, for writes that must visit them (at most `limit`). */
export function matching(collection: Collection, filter: Doc, limit = 0): Doc[] {
  const test = matcherFor(filter);
  const out: Doc[] = [];
  for (const doc of candidates(collection, filter)) {
    if (!test(doc)) continue;
    out.push(doc);
    if (out.length === limit) break;
  }
  return out;
}
