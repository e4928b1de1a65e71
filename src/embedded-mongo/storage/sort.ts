import { badValue } from '../errors';
import { Collection } from './collection';
import { CollectionIndex } from './collection-index';
import { StringCompare, compareBson } from './compare';
import { Doc, valuesAtPath } from './documents';
import { EMPTY_ARRAY_KEY, encodeValue } from './key-encoding';
import type { Plan } from './query-planner';
import { Steps, complete, sortSteps } from './steps';

export type SortSpec = Array<[field: string, direction: 1 | -1]>;

/** An empty array sorts below null and missing values, as in MongoDB. */
const EMPTY_ARRAY = Symbol('empty array');

/** Validates a sort document: every direction must be 1 or -1 ($meta sorts need $text, which is unsupported). */
export function parseSort(sort: Doc | undefined): SortSpec {
  if (!sort) return [];
  return Object.entries(sort).map(([field, raw]) => {
    const direction = typeof raw === 'bigint' ? Number(raw) : raw;
    if (direction !== 1 && direction !== -1) {
      throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending): ${field}`);
    }
    return [field, direction];
  });
}

function reached(doc: Doc, field: string): unknown[] {
  return valuesAtPath(doc, field).map((v) => (Array.isArray(v) && v.length === 0 ? EMPTY_ARRAY : v));
}

/** MongoDB's sort key for one field: the smallest array element ascending, the largest descending. */
function sortKey(doc: Doc, field: string, direction: 1 | -1): string {
  let best: string | undefined;
  for (const value of reached(doc, field)) {
    const key = value === EMPTY_ARRAY ? EMPTY_ARRAY_KEY : encodeValue(value);
    if (best === undefined || (direction === 1 ? key < best : key > best)) best = key;
  }
  return best!;
}

function compareWithEmpty(a: unknown, b: unknown, strings: StringCompare): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return a === b ? 0 : a === EMPTY_ARRAY ? -1 : 1;
  return compareBson(a, b, strings);
}

/** The same sort key under a collation: values compared with the collator instead of encoded. */
function collatedKey(doc: Doc, field: string, direction: 1 | -1, strings: StringCompare): unknown {
  let best: unknown;
  let first = true;
  for (const value of reached(doc, field)) {
    const c = first ? 0 : compareWithEmpty(value, best, strings);
    if (first || (direction === 1 ? c < 0 : c > 0)) best = value;
    first = false;
  }
  return best;
}

/** Sorts in BSON cross-type order (numbers < strings < objects < ... < dates), stable for ties, with pause points. */
export function* sortDocumentSteps(docs: Doc[], spec: SortSpec, strings?: StringCompare): Steps<Doc[]> {
  if (strings) {
    const keyed = docs.map((doc) => ({ doc, keys: spec.map(([f, dir]) => collatedKey(doc, f, dir, strings)) }));
    const sorted = yield* sortSteps(keyed, (a, b) => {
      for (let f = 0; f < spec.length; f++) {
        const c = compareWithEmpty(a.keys[f], b.keys[f], strings);
        if (c !== 0) return c * spec[f][1];
      }
      return 0;
    });
    return sorted.map((k) => k.doc);
  }
  const keyed: Array<{ doc: Doc; keys: string[] }> = [];
  for (let i = 0; i < docs.length; i++) {
    keyed.push({ doc: docs[i], keys: spec.map(([field, dir]) => sortKey(docs[i], field, dir)) });
    if ((i & 1023) === 1023) yield;
  }
  const sorted = yield* sortSteps(keyed, (a, b) => {
    for (let f = 0; f < spec.length; f++) {
      if (a.keys[f] !== b.keys[f]) return (a.keys[f] < b.keys[f] ? -1 : 1) * spec[f][1];
    }
    return 0;
  });
  return sorted.map((k) => k.doc);
}

/** Sorts at once (no pause points). */
export function sortDocuments(docs: Doc[], spec: SortSpec, strings?: StringCompare): Doc[] {
  return complete(sortDocumentSteps(docs, spec, strings));
}

/**
 * Whether a plan reads its documents in the requested order, and backwards (true) or forwards (false);
 * null when it does not. Its intervals are in key order and disjoint, so the sort fields must follow the
 * index's fields from the first one, or, when the plan reads one interval, from any field up to the
 * first one the filter does not fix by equality. A multikey index lists a document under each element
 * while the sort uses only one of them, so it never provides the order.
 */
export function planOrder(plan: Plan, spec: SortSpec): boolean | null {
  const index = plan.index;
  if (!index || spec.length === 0 || index.multikey || !index.usableFor(null)) return null;
  if (!spec.every(([, dir]) => dir === spec[0][1])) return null;
  const latestStart = plan.intervals.length === 1 ? plan.equalityFields : 0;
  for (let from = 0; from <= latestStart; from++) {
    if (spec.every(([field], i) => index.fields[from + i] === field)) return spec[0][1] === -1;
  }
  return null;
}

/**
 * An index whose stored order already is the requested order: the sort fields are a prefix of its
 * key and all run the same way. Keys are stored ascending whatever the declared direction.
 */
export function indexForSort(
  collection: Collection,
  spec: SortSpec,
): { index: CollectionIndex; reverse: boolean } | null {
  if (spec.length === 0 || !spec.every(([, dir]) => dir === spec[0][1])) return null;
  for (const index of collection.indexes.values()) {
    if (!index.usableFor(null)) continue;
    if (spec.every(([field], i) => index.fields[i] === field)) return { index, reverse: spec[0][1] === -1 };
  }
  return null;
}
