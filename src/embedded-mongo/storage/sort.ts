import { badValue } from '../errors';
import { Collection } from './collection';
import { CollectionIndex } from './collection-index';
import { Doc, valuesAtPath } from './documents';
import { encodeValue } from './key-encoding';

export type SortSpec = Array<[field: string, direction: 1 | -1]>;

/** Validates a sort document: every direction must be 1 or -1 ($meta sorts need $text, which is unsupported). */
export function parseSort(sort: Doc | undefined): SortSpec {
  if (!sort) return [];
  return Object.entries(sort).map(([field, direction]) => {
    if (direction !== 1 && direction !== -1) {
      throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending): ${field}`);
    }
    return [field, direction];
  });
}

/** MongoDB's sort key for one field: the smallest array element ascending, the largest descending. */
function sortKey(doc: Doc, field: string, direction: 1 | -1): string {
  let best: string | undefined;
  for (const value of valuesAtPath(doc, field)) {
    const key = encodeValue(value);
    if (best === undefined || (direction === 1 ? key < best : key > best)) best = key;
  }
  return best!;
}

/** Sorts in BSON cross-type order (numbers < strings < objects < ... < dates), stable for ties. */
export function sortDocuments(docs: Doc[], spec: SortSpec): Doc[] {
  const keyed = docs.map((doc, i) => ({ doc, i, keys: spec.map(([field, dir]) => sortKey(doc, field, dir)) }));
  keyed.sort((a, b) => {
    for (let f = 0; f < spec.length; f++) {
      if (a.keys[f] !== b.keys[f]) return (a.keys[f] < b.keys[f] ? -1 : 1) * spec[f][1];
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.doc);
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
    if (index.spec.sparse || index.spec.partialFilterExpression) continue;
    if (spec.every(([field], i) => index.fields[i] === field)) return { index, reverse: spec[0][1] === -1 };
  }
  return null;
}
