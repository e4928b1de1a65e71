import { ObjectId } from 'bson';
import { isPlainObject, own, setOwn } from './bson-values';
import { encodeValue } from './key-encoding';

export type Doc = Record<string, unknown>;

const NUMERIC = /^\d+$/;

/** Key of a document's `_id` in the primary map; the same encoding the `_id_` index uses. */
export function idKeyOf(id: unknown): string {
  return encodeValue(id);
}

function collect(value: unknown, parts: string[], i: number, out: unknown[], expandLeaf: boolean): void {
  if (i === parts.length) {
    if (expandLeaf && Array.isArray(value) && value.length > 0) for (const element of value) out.push(element);
    else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    // A numeric segment addresses one element; otherwise the path fans out over every element.
    if (NUMERIC.test(parts[i])) collect(value[Number(parts[i])], parts, i + 1, out, expandLeaf);
    let sawLeaf = value.length === 0;
    for (const element of value) {
      if (isPlainObject(element)) collect(element, parts, i, out, expandLeaf);
      else sawLeaf = true;
    }
    // Elements without the field make the path "missing" for them, which equality-to-null matches.
    if (sawLeaf) out.push(undefined);
    return;
  }
  if (isPlainObject(value)) collect(own(value, parts[i]), parts, i + 1, out, expandLeaf);
  else out.push(undefined);
}

/** Every value a dotted path reaches, with arrays expanded (multikey semantics); missing gives `undefined`. */
export function valuesAtPath(doc: Doc, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out, true);
  return out.length === 0 ? [undefined] : out;
}

/** The values a dotted path ends on, arrays at the end kept whole (a query operator expands them). */
export function reachedValues(doc: unknown, parts: string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, parts, 0, out, false);
  return out.length === 0 ? [undefined] : out;
}

/** The value at a dotted path without array expansion. */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && NUMERIC.test(part)) current = current[Number(part)];
    else if (isPlainObject(current)) current = own(current, part);
    else return undefined;
  }
  return current;
}

/** Sets a dotted path, creating intermediate sub-documents. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(own(current, part))) setOwn(current, part, {});
    current = current[part] as Doc;
  }
  setOwn(current, parts[parts.length - 1], value);
}

/** Deep copy that keeps BSON value classes (ObjectId, Binary, ...) as shared immutable instances. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneValue(value[key]));
    return out as T;
  }
  return value;
}

/** Returns the document with `_id` first, generating an ObjectId when it is missing. */
export function withIdFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Doc = { _id: doc._id === undefined ? new ObjectId() : doc._id };
  for (const key of keys) if (key !== '_id') setOwn(out, key, doc[key]);
  return out;
}
