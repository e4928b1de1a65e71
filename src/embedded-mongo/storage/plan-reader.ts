import { Collection } from './collection';
import { Doc } from './documents';
import { encodeValue, isPlainObject } from './key-encoding';
import { Plan, extractPredicates, planQuery } from './query-planner';

/** What a scan read: the candidate documents and how it found them (reported by explain). */
export interface ScanResult {
  docs: Doc[];
  indexName: string | null;
  keysExamined: number;
}

/** Candidate documents for a filter (a superset of the matches), read through the chosen plan. */
export function scan(collection: Collection, filter: Doc, hint?: unknown): ScanResult {
  const natural = isPlainObject(hint) && '$natural' in hint;
  return readPlan(collection, filter, natural ? { index: null, intervals: [] } : planQuery(collection, filter));
}

/** Reads the documents a plan points at (all of them for a collection scan). */
export function readPlan(collection: Collection, filter: Doc, plan: Plan): ScanResult {
  if (!plan.index) return { docs: [...collection.docs.values()], indexName: null, keysExamined: 0 };
  const indexName = plan.index.spec.name;
  if (plan.index.isIdIndex) {
    const eq = extractPredicates(filter).get('_id')?.eq;
    if (eq) {
      const keys = [...new Set(eq.map(encodeValue))];
      const docs = keys.map((k) => collection.docs.get(k)).filter((d): d is Doc => d !== undefined);
      return { docs, indexName, keysExamined: docs.length };
    }
  }
  const seen = new Set<string>();
  const docs: Doc[] = [];
  let keysExamined = 0;
  for (const { lo, hi } of plan.intervals) {
    for (const [, id] of plan.index.entries.range(lo, hi)) {
      keysExamined++;
      if (seen.has(id)) continue;
      seen.add(id);
      const doc = collection.docs.get(id);
      if (doc) docs.push(doc);
    }
  }
  return { docs, indexName, keysExamined };
}

/** The candidate documents alone. */
export function candidates(collection: Collection, filter: Doc, hint?: unknown): Doc[] {
  return scan(collection, filter, hint).docs;
}
