import { Collation, parseCollation } from './collation';
import { Collection } from './collection';
import { FieldNames, RawDocument, fieldNames, fieldNamesExcept, replyBytesOf } from './document-map';
import { Doc } from './documents';
import { Matcher } from './filter/compile-filter';
import { compileMatcher } from './simple-filter';
import { CandidateSource, indexOrderSource, orderedSourceFor, sourceFor } from './plan-reader';
import { Projector, compileProjection } from './projection/apply-projection';
import { NeededFields, droppedFieldProjection, findFields, matchFields, wholeFieldProjection } from './needed-fields';
import { hintedIndex, planQuery } from './query-planner';
import { SortSpec, indexForSort, parseSort, planOrder, sortDocumentSteps } from './sort';
import { Steps, complete, drive } from './steps';

export interface FindOptions {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
  collation?: Doc;
  /** `{ $natural: 1 }` forces a collection scan; an index name or key must name an existing index. */
  hint?: unknown;
  /**
   * The results only go into a reply: with no projection or one that keeps or drops whole top-level fields,
   * each result is then a {@link RawDocument} of the kept fields' stored bytes, and only what the filter and
   * sort read is decoded.
   */
  forReply?: boolean;
  /** Decode only these top-level fields of each document (a superset of what the filter and sort read). */
  decode?: NeededFields;
}

const BATCH = 256;

/** A find validated and compiled before any document is read, so a bad query fails even on a missing collection. */
interface PreparedFind {
  filter: Doc;
  matcher: Matcher;
  sort: SortSpec;
  projector: Projector | null;
  collation: Collation | null;
  skip: number;
  limit: number;
  hint: unknown;
  /** The fields read from each document (decoded), or undefined for whole documents. */
  fields: FieldNames | undefined;
  /** Results are the stored bytes of the projected fields (see {@link FindOptions.forReply}). */
  raw: boolean;
}

function prepare(options: FindOptions): PreparedFind {
  const filter = options.filter ?? {};
  const collation = parseCollation(options.collation);
  const raw = rawFields(options);
  return {
    filter,
    matcher: compileMatcher(filter, collation),
    sort: parseSort(options.sort),
    projector: compileProjection(options.projection, filter, { collation }),
    collation,
    skip: options.skip ?? 0,
    limit: Math.abs(options.limit ?? 0),
    hint: options.hint,
    fields: raw ?? (options.decode ? fieldNames(options.decode) : readFields(options)),
    raw: raw !== undefined,
  };
}

function readFields(options: FindOptions): FieldNames | undefined {
  const fields = findFields(options.filter, options.sort, options.projection);
  return fields && fieldNames(fields);
}

/** What a reply of stored bytes reads: the filter's and sort's fields decoded, the projected ones copied. */
function rawFields(options: FindOptions): FieldNames | undefined {
  if (!options.forReply) return undefined;
  const reply = wholeFieldProjection(options.projection);
  if (reply) {
    const match = matchFields(options.filter, options.sort);
    return match && fieldNames(match, reply);
  }
  const dropped = droppedFieldProjection(options.projection);
  const match = dropped && matchFields(options.filter, options.sort);
  return match && fieldNamesExcept(match, dropped!);
}

function candidateSource(collection: Collection, p: PreparedFind): { source: CandidateSource; ordered: boolean } {
  const plan = planQuery(collection, p.filter, { collation: p.collation, hint: p.hint });
  const reverse = p.collation ? null : planOrder(plan, p.sort);
  if (reverse !== null) return { source: orderedSourceFor(collection, plan, reverse, p.fields), ordered: true };
  const scanForced = hintedIndex(collection, p.hint) === null;
  const ordered = plan.index === null && !scanForced && !p.collation ? indexForSort(collection, p.sort) : null;
  if (ordered) {
    return { source: indexOrderSource(collection, ordered.index, ordered.reverse, p.fields), ordered: true };
  }
  return { source: sourceFor(collection, p.filter, plan, p.fields), ordered: false };
}

/**
 * A query as pause-able steps: candidates from the chosen index (or an index walked in sort order
 * when the filter has no usable index), matching, BSON-order sorting, skip, limit and projection.
 * Without a sort, or with the order an index already has, it stops as soon as `limit` documents matched.
 */
export function* findSteps(collection: Collection | undefined, options: FindOptions): Steps<Doc[]> {
  const p = prepare(options);
  if (!collection) return [];
  const { source, ordered } = candidateSource(collection, p);
  const wanted = (ordered || p.sort.length === 0) && p.limit > 0 ? p.skip + p.limit : 0;
  let docs: Doc[] = [];
  scanning: for (let batch = source.next(BATCH); batch; batch = source.next(BATCH)) {
    for (const doc of batch) {
      if (!p.matcher(doc)) continue;
      docs.push(doc);
      if (docs.length === wanted) break scanning;
    }
    yield;
  }
  if (p.sort.length > 0 && !ordered) docs = yield* sortDocumentSteps(docs, p.sort, p.collation?.compare);
  if (p.skip > 0 || p.limit > 0) docs = docs.slice(p.skip, p.limit > 0 ? p.skip + p.limit : undefined);
  // A document read whole (see fieldNamesExcept) is projected as the general path does.
  if (p.raw) return docs.map((doc) => rawOrProjected(doc, p.projector));
  if (!p.projector) return docs;
  const projected: Doc[] = [];
  for (let i = 0; i < docs.length; i++) {
    projected.push(p.projector(docs[i]));
    if ((i & (BATCH - 1)) === BATCH - 1) yield;
  }
  return projected;
}

function rawOrProjected(doc: Doc, projector: Projector | null): Doc {
  const bytes = replyBytesOf(doc);
  if (bytes) return new RawDocument(bytes) as unknown as Doc;
  return projector ? projector(doc) : doc;
}

/** Runs a query to the end at once (writes, explain, tests). */
export function runFind(collection: Collection | undefined, options: FindOptions): Doc[] {
  return complete(findSteps(collection, options));
}

/** Runs a query in time slices, letting other connections in between (synchronously when it fits one slice). */
export function runFindYielding(collection: Collection | undefined, options: FindOptions): Doc[] | Promise<Doc[]> {
  return drive(findSteps(collection, options));
}

/** Applies a find-style projection to one document (`filter` resolves a positional `a.$`). */
export function projectOne(doc: Doc, projection: Doc | undefined, filter: Doc = {}): Doc {
  const projector = compileProjection(projection, filter);
  return projector ? projector(doc) : doc;
}

/** Matching documents in natural (or index) order, for writes that must visit them (at most `limit`). */
export function matching(collection: Collection, filter: Doc, limit = 0, collation?: Doc): Doc[] {
  return runFind(collection, { filter, limit, collation });
}
