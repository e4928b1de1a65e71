import { Collection } from './collection';
import { CollectionIndex } from './collection-index';
import { FieldNames } from './document-map';
import { Doc } from './documents';
import { encodeValue } from './key-encoding';
import { Plan, PlanOptions, extractPredicates, planQuery } from './query-planner';
import { KeyBound } from './sorted-entries';
import { Steps, complete } from './steps';

/**
 * Candidate documents in batches. A source can stop between batches and resume later while other
 * commands write: each batch re-seeks the index after the last entry it returned, and documents are
 * read at batch time, so a candidate is always the current version of a stored document.
 */
export interface CandidateSource {
  /** The next candidates (up to `max`), or null once the source is exhausted. */
  next(max: number): Doc[] | null;
  readonly indexName: string | null;
  keysExamined: number;
}

class CollectionScan implements CandidateSource {
  readonly indexName = null;
  keysExamined = 0;
  private readonly iterator: Iterator<Doc>;

  constructor(collection: Collection, fields?: FieldNames) {
    // A Map iterator stays valid across inserts and deletes.
    this.iterator = collection.docs.values(fields);
  }

  next(max: number): Doc[] | null {
    const out: Doc[] = [];
    while (out.length < max) {
      const step = this.iterator.next();
      if (step.done) return out.length > 0 ? out : null;
      out.push(step.value);
    }
    return out;
  }
}

class IndexScan implements CandidateSource {
  keysExamined = 0;
  private interval = 0;
  private after: [string, string] | null = null;
  /** A multikey index lists a document once per element (and intervals may overlap); it is returned once. */
  private readonly seen: Set<string> | null;

  constructor(
    private readonly collection: Collection,
    private readonly index: CollectionIndex,
    private readonly intervals: Array<{ lo: KeyBound | null; hi: KeyBound | null }>,
    private readonly reverse = false,
    private readonly fields?: FieldNames,
  ) {
    this.seen = index.multikey || !disjoint(intervals) ? new Set() : null;
  }

  get indexName(): string {
    return this.index.spec.name;
  }

  next(max: number): Doc[] | null {
    const out: Doc[] = [];
    while (out.length === 0) {
      if (this.interval >= this.intervals.length) return null;
      const { lo, hi } = this.intervals[this.interval];
      const entries = this.index.entries.batch(lo, hi, this.reverse, this.after, max);
      this.keysExamined += entries.length;
      for (const [, id] of entries) {
        if (this.seen) {
          if (this.seen.has(id)) continue;
          this.seen.add(id);
        }
        const doc = this.collection.docs.get(id, this.fields);
        if (doc) out.push(doc);
      }
      if (entries.length < max) {
        this.interval++;
        this.after = null;
      } else {
        this.after = entries[entries.length - 1];
      }
    }
    return out;
  }
}

/** Whether each interval ends before the next begins, so that no key (and no id) lies in two of them. */
function disjoint(intervals: Array<{ lo: KeyBound | null; hi: KeyBound | null }>): boolean {
  for (let i = 1; i < intervals.length; i++) {
    const hi = intervals[i - 1].hi;
    const lo = intervals[i].lo;
    if (!hi || !lo || hi.key > lo.key || (hi.key === lo.key && hi.inclusive && lo.inclusive)) return false;
  }
  return true;
}

class IdLookup implements CandidateSource {
  keysExamined = 0;
  private done = false;

  constructor(
    private readonly collection: Collection,
    private readonly ids: unknown[],
    private readonly fields?: FieldNames,
  ) {}

  get indexName(): string {
    return '_id_';
  }

  next(): Doc[] | null {
    if (this.done) return null;
    this.done = true;
    const keys = [...new Set(this.ids.map((id) => encodeValue(id)))];
    const docs = keys.map((k) => this.collection.docs.get(k, this.fields)).filter((d): d is Doc => d !== undefined);
    this.keysExamined = docs.length;
    return docs;
  }
}

/**
 * The source that reads what a plan points at (every document for a collection scan). Sources decode only
 * `fields` (from `fieldNames`) of each document when given, whole documents otherwise.
 */
export function sourceFor(collection: Collection, filter: Doc, plan: Plan, fields?: FieldNames): CandidateSource {
  if (!plan.index) return new CollectionScan(collection, fields);
  if (plan.index.isIdIndex) {
    const eq = extractPredicates(filter).get('_id')?.eq;
    if (eq) return new IdLookup(collection, eq, fields);
  }
  return new IndexScan(collection, plan.index, plan.intervals, false, fields);
}

/** A plan's index entries in key order (or reversed), interval after interval: a sort the plan already holds. */
export function orderedSourceFor(
  collection: Collection,
  plan: Plan,
  reverse: boolean,
  fields?: FieldNames,
): CandidateSource {
  const intervals = reverse ? [...plan.intervals].reverse() : plan.intervals;
  return new IndexScan(collection, plan.index!, intervals, reverse, fields);
}

/** Every entry of an index in key order (or reversed): a sort the index already holds. */
export function indexOrderSource(
  collection: Collection,
  index: CollectionIndex,
  reverse: boolean,
  fields?: FieldNames,
): CandidateSource {
  return new IndexScan(collection, index, [{ lo: null, hi: null }], reverse, fields);
}

/** What a scan read: the candidate documents and how it found them (reported by explain). */
export interface ScanResult {
  docs: Doc[];
  indexName: string | null;
  keysExamined: number;
}

/** Reads every candidate of a source, with a pause point after each batch. */
export function* readAll(source: CandidateSource): Steps<Doc[]> {
  const out: Doc[] = [];
  for (let batch = source.next(1024); batch; batch = source.next(1024)) {
    for (const doc of batch) out.push(doc);
    yield;
  }
  return out;
}

/** Reads every candidate of a source at once. */
export function drain(source: CandidateSource): Doc[] {
  return complete(readAll(source));
}

/** Candidate documents for a filter (a superset of the matches), read through the chosen plan. */
export function scan(collection: Collection, filter: Doc, options: PlanOptions = {}): ScanResult {
  const source = sourceFor(collection, filter, planQuery(collection, filter, options));
  const docs = drain(source);
  return { docs, indexName: source.indexName, keysExamined: source.keysExamined };
}
