import { badValue } from '../errors';
import { Collation } from './collation';
import { Collection } from './collection';
import { CollectionIndex } from './collection-index';
import { Doc } from './documents';
import { KEY_MAX_SUFFIX, encodeValue, isPlainObject } from './key-encoding';
import { KeyBound } from './sorted-entries';

interface FieldPredicate {
  eq?: unknown[];
  lo?: { value: unknown; inclusive: boolean };
  hi?: { value: unknown; inclusive: boolean };
}

/**
 * How a query will read its candidates: which index (if any) and which key intervals. Intervals come
 * in ascending key order and do not overlap, so reading them in turn reads the index in its order.
 */
export interface Plan {
  index: CollectionIndex | null;
  intervals: Array<{ lo: KeyBound; hi: KeyBound }>;
  /** How many leading index fields the filter fixes by equality (each interval holds one value of them). */
  equalityFields: number;
}

// Bounds the cartesian product of `$in` lists over compound keys; one long `$in` (populate) stays indexed.
const MAX_INTERVALS = 100_000;

/** Values usable as exact index keys: scalars and BSON values, not regexes, arrays or sub-documents. */
function isKeyable(value: unknown): boolean {
  return (
    !(value instanceof RegExp) &&
    !Array.isArray(value) &&
    !isPlainObject(value) &&
    (value as { _bsontype?: string } | null)?._bsontype !== 'BSONRegExp'
  );
}

function rangeable(value: unknown): boolean {
  const tag = encodeValue(value)[0];
  return isKeyable(value) && value !== null && value !== undefined && '2379'.includes(tag);
}

function predicateFor(condition: unknown): FieldPredicate | null {
  if (!isPlainObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) {
    return isKeyable(condition) ? { eq: [condition] } : null;
  }
  const p: FieldPredicate = {};
  for (const [op, value] of Object.entries(condition)) {
    if (op === '$eq' && isKeyable(value)) p.eq = [value];
    else if (op === '$in' && Array.isArray(value) && value.every(isKeyable)) p.eq = value;
    else if ((op === '$gt' || op === '$gte') && rangeable(value)) p.lo = { value, inclusive: op === '$gte' };
    else if ((op === '$lt' || op === '$lte') && rangeable(value)) p.hi = { value, inclusive: op === '$lte' };
  }
  if (p.lo && p.hi && encodeValue(p.lo.value)[0] !== encodeValue(p.hi.value)[0]) delete p.hi;
  return p.eq || p.lo || p.hi ? p : null;
}

/** Field predicates implied by a filter: top-level fields and `$and` branches (first one per field wins). */
export function extractPredicates(filter: Doc, into = new Map<string, FieldPredicate>()): Map<string, FieldPredicate> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const branch of condition) if (isPlainObject(branch)) extractPredicates(branch, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    const p = predicateFor(condition);
    const known = into.get(field);
    if (p && (!known || (!known.eq && p.eq))) into.set(field, p);
  }
  return into;
}

function rangeInterval(prefix: string, p: FieldPredicate, multikey: boolean): { lo: KeyBound; hi: KeyBound } {
  const tag = encodeValue((p.lo ?? p.hi)!.value)[0];
  // On a multikey index two bounds may be met by different elements, so only one bound is safe.
  const hiP = multikey && p.lo ? undefined : p.hi;
  const lo = p.lo
    ? { key: prefix + encodeValue(p.lo.value), inclusive: p.lo.inclusive }
    : { key: prefix + tag, inclusive: true };
  const hi = hiP
    ? { key: prefix + encodeValue(hiP.value) + (hiP.inclusive ? KEY_MAX_SUFFIX : ''), inclusive: false }
    : { key: prefix + tag + KEY_MAX_SUFFIX, inclusive: false };
  if (p.lo && !p.lo.inclusive) lo.key += KEY_MAX_SUFFIX;
  return { lo, hi };
}

function planFor(index: CollectionIndex, preds: Map<string, FieldPredicate>): { score: number; plan: Plan } | null {
  let prefixes = [''];
  let used = 0;
  for (const field of index.fields) {
    const eq = preds.get(field)?.eq;
    if (!eq || prefixes.length * eq.length > MAX_INTERVALS) break;
    // Sorted, so the intervals are in key order: encodings are prefix-free, so concatenations of
    // sorted prefixes and sorted values are sorted too.
    const encoded = [...new Set(eq.map((v) => encodeValue(v)))].sort();
    prefixes = prefixes.flatMap((prefix) => encoded.map((e) => prefix + e));
    used++;
  }
  const next = used < index.fields.length ? preds.get(index.fields[used]) : undefined;
  const range = next && !next.eq && (next.lo || next.hi) ? next : undefined;
  if (used === 0 && !range) return null;
  const intervals = prefixes.map((prefix) =>
    range
      ? rangeInterval(prefix, range, index.multikey)
      : { lo: { key: prefix, inclusive: true }, hi: { key: prefix + KEY_MAX_SUFFIX, inclusive: false } },
  );
  const exact = used === index.fields.length && index.spec.unique ? 1 : 0;
  return { score: used * 4 + (range ? 2 : 0) + exact, plan: { index, intervals, equalityFields: used } };
}

/** Counts the keys a plan would read, stopping at `cap`: a cheap trial run, like MongoDB's plan race. */
function keysWithin(plan: Plan, cap: number): number {
  let n = 0;
  for (const { lo, hi } of plan.intervals) {
    for (const _entry of plan.index!.entries.range(lo, hi)) if (++n >= cap) return n;
  }
  return n;
}

const TRIAL_CAP = 100_000;

const NATURAL: Plan = { index: null, intervals: [], equalityFields: 0 };

/** The index a `hint` names (by name or key pattern); `$natural` and no hint give undefined. */
export function hintedIndex(collection: Collection, hint: unknown): CollectionIndex | null | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (isPlainObject(hint) && '$natural' in hint) return null;
  const found = [...collection.indexes.values()].find(
    (index) =>
      !index.spec.hidden &&
      (typeof hint === 'string' ? index.spec.name === hint : JSON.stringify(index.spec.key) === JSON.stringify(hint)),
  );
  if (!found) {
    throw badValue(
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
  return found;
}

export interface PlanOptions {
  collation?: Collation | null;
  hint?: unknown;
}

/**
 * Picks the usable index that reads the fewest keys; null index means a collection scan. A hinted
 * index is read even when the filter does not constrain it (all of its keys), as MongoDB does.
 */
export function planQuery(collection: Collection, filter: Doc, planOptions: PlanOptions = {}): Plan {
  const preds = extractPredicates(filter);
  const hinted = hintedIndex(collection, planOptions.hint);
  if (hinted === null) return NATURAL;
  if (hinted) {
    return (
      planFor(hinted, preds)?.plan ?? {
        index: hinted,
        intervals: [{ lo: { key: '', inclusive: true }, hi: { key: KEY_MAX_SUFFIX, inclusive: false } }],
        equalityFields: 0,
      }
    );
  }
  const options: Array<{ score: number; plan: Plan }> = [];
  if (preds.size > 0) {
    for (const index of collection.indexes.values()) {
      // Partial, sparse and hidden indexes are never chosen; a collation query needs a matching index.
      if (!index.usableFor(planOptions.collation ?? null)) continue;
      const candidate = planFor(index, preds);
      if (candidate) options.push(candidate);
    }
  }
  if (options.length === 0) return NATURAL;
  options.sort((a, b) => b.score - a.score);
  let best = options[0].plan;
  if (options.length > 1) {
    let bestKeys = keysWithin(best, TRIAL_CAP);
    for (const option of options.slice(1)) {
      if (bestKeys <= 1) break;
      const keys = keysWithin(option.plan, bestKeys);
      if (keys < bestKeys) [best, bestKeys] = [option.plan, keys];
    }
  }
  return best;
}
