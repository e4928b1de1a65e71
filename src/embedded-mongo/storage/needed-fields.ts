import { isPlainObject } from './bson-values';
import type { Collection } from './collection';
import { Doc } from './documents';
import { parseProjection } from './projection/parse-projection';

/**
 * The top-level fields a read needs from each stored document, so that only those are decoded; undefined
 * when it needs whole documents (no projection, an exclusion, `$$ROOT`, a stage that passes documents on).
 * Sets are supersets: a name that only looks like a field path costs a little decoding, never a result.
 */
export type NeededFields = ReadonlySet<string>;

const topField = (path: string) => {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
};

/** Adds the fields an aggregation expression reads (`'$a.b'` reads `a`); false when it reads the whole document. */
function expressionFields(value: unknown, out: Set<string>): boolean {
  if (typeof value === 'string') {
    if (value.startsWith('$$')) return !/^\$\$(ROOT|CURRENT)\b/.test(value);
    if (value.startsWith('$')) out.add(topField(value.slice(1)));
    return true;
  }
  if (Array.isArray(value)) return value.every((v) => expressionFields(v, out));
  if (isPlainObject(value)) return Object.values(value).every((v) => expressionFields(v, out));
  return true;
}

/** Adds the fields a query filter reads; false for operators that may read anything. */
function filterFields(filter: Doc, out: Set<string>): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition) || !condition.every((c) => isPlainObject(c) && filterFields(c, out))) return false;
    } else if (key === '$expr') {
      if (!expressionFields(condition, out)) return false;
    } else if (key === '$comment' || key === '$sampleRate') {
      continue;
    } else if (key.startsWith('$')) {
      return false;
    } else {
      out.add(topField(key));
    }
  }
  return true;
}

function sortFields(sort: unknown, out: Set<string>): boolean {
  if (sort === undefined) return true;
  if (!isPlainObject(sort)) return false;
  for (const key of Object.keys(sort)) out.add(topField(key));
  return true;
}

/** A find's fields: only with an inclusion projection, which names every field the reply can hold. */
export function findFields(
  filter: Doc | undefined,
  sort: unknown,
  projection: Doc | undefined,
): NeededFields | undefined {
  if (!projection) return undefined;
  const out = new Set<string>(['_id']);
  let included = 0;
  for (const [key, value] of Object.entries(projection)) {
    if (value === 0 || value === false) {
      if (key === '_id') continue;
      return undefined; // an exclusion keeps every other field
    }
    // `$slice` alone keeps every other field, as an exclusion does.
    if (isPlainObject(value) && '$slice' in value) return undefined;
    if (!expressionFields(value, out)) return undefined;
    out.add(topField(key));
    included++;
  }
  if (included === 0) return undefined;
  if (filter && !filterFields(filter, out)) return undefined;
  return sortFields(sort, out) ? out : undefined;
}

/**
 * `fields` and every top-level field the collection's indexes read: a write computes index keys from the
 * documents it sees. With `changed` (the top-level fields an update may change), only the fields of indexes
 * that read one of those: the keys of any other index stay as they are, and its fields, absent from both the
 * old and the new version decoded, leave it untouched. Undefined when an index may read any field (a partial
 * filter, a `$**` or text key).
 */
export function withIndexedFields(
  collection: Collection,
  fields: Iterable<string>,
  changed?: NeededFields,
): Set<string> | undefined {
  const out = new Set(fields);
  for (const index of collection.indexes.values()) {
    if (index.spec.partialFilterExpression) return undefined;
    if (index.fields.some((field) => field.startsWith('$'))) return undefined;
    const tops = index.fields.map(topField);
    if (changed && !tops.some((field) => changed.has(field))) continue;
    for (const field of tops) out.add(field);
  }
  return out;
}

/** The fields a filter and a sort read (with `_id`), or undefined when they may read any. */
export function matchFields(filter: Doc | undefined, sort: unknown): NeededFields | undefined {
  const out = new Set<string>(['_id']);
  if (filter && !filterFields(filter, out)) return undefined;
  return sortFields(sort, out) ? out : undefined;
}

/** The fields a `distinct` over `key` reads: its query's and the key's top-level field, or undefined for any. */
export function distinctFields(filter: Doc | undefined, key: string): NeededFields | undefined {
  const read = matchFields(filter, undefined);
  return read && new Set([...read, topField(key)]);
}

/**
 * The fields of a projection that keeps whole top-level fields and nothing else (`_id` unless excluded), or
 * undefined for any other projection: its reply holds each kept field's stored value as it is.
 */
export function wholeFieldProjection(projection: Doc | undefined): NeededFields | undefined {
  const spec = parseProjection(projection);
  if (!spec || spec.mode !== 'inclusion' || spec.positional !== null) return undefined;
  if (spec.slices.length + spec.elemMatches.length + spec.computed.length > 0) return undefined;
  if (spec.paths.some((path) => path.includes('.'))) return undefined;
  return new Set(spec.excludeId ? spec.paths : ['_id', ...spec.paths]);
}

/**
 * The fields an exclusion projection drops, when it drops whole top-level fields and nothing else (`_id`
 * when excluded), or none for no projection; undefined for any other projection: its reply holds every other
 * field's stored value as it is, in stored order.
 */
export function droppedFieldProjection(projection: Doc | undefined): NeededFields | undefined {
  const spec = parseProjection(projection);
  if (!spec) return new Set();
  if (spec.mode !== 'exclusion' || spec.positional !== null) return undefined;
  if (spec.slices.length + spec.elemMatches.length + spec.computed.length > 0) return undefined;
  if (spec.paths.some((path) => path.includes('.'))) return undefined;
  return new Set(spec.excludeId ? ['_id', ...spec.paths] : spec.paths);
}

/**
 * What an update of stored documents reads and writes, by top-level field: `decode` holds the fields whose
 * current values the filter or the update may read (or change in part), `written` those the update replaces
 * or removes whole without reading them, and `changed` every field the update itself names (read, changed in
 * part or written: a superset of those it may change; the filter's alone are not). Every other field passes
 * through untouched. Undefined when the update may read the whole document (a replacement, `$replaceWith`,
 * `$$ROOT`, an unknown stage).
 */
export interface UpdateFields {
  decode: NeededFields;
  written: NeededFields;
  changed: NeededFields;
}

const isOperatorObject = (value: unknown) => isPlainObject(value) && Object.keys(value)[0]?.startsWith('$') === true;

function pipelineUpdateFields(pipeline: Doc[], decode: Set<string>, written: Set<string>): boolean {
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    // A stage's expressions see the document as it entered the stage.
    const writes: string[] = [];
    if (name === '$set' || name === '$addFields') {
      if (!isPlainObject(spec)) return false;
      for (const [path, value] of Object.entries(spec)) {
        const reads = new Set<string>();
        if (!expressionFields(value, reads)) return false;
        for (const field of reads) if (!written.has(field)) decode.add(field);
        // A sub-document spec (not an operator) merges into the field's current value, as a dotted path does.
        if (path.includes('.') || (isPlainObject(value) && !isOperatorObject(value))) {
          if (!written.has(topField(path))) decode.add(topField(path));
        } else {
          writes.push(path);
        }
      }
    } else if (name === '$unset') {
      const paths = typeof spec === 'string' ? [spec] : spec;
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return false;
      for (const path of paths as string[]) {
        if (!path.includes('.')) writes.push(path);
        else if (!written.has(topField(path))) decode.add(topField(path));
      }
    } else {
      return false;
    }
    for (const field of writes) written.add(field);
  }
  return true;
}

function operatorUpdateFields(update: Doc, decode: Set<string>, written: Set<string>): boolean {
  for (const [op, spec] of Object.entries(update)) {
    if (!isPlainObject(spec)) return false;
    if (op === '$setOnInsert') continue; // applies only to an inserted document
    for (const [path, value] of Object.entries(spec)) {
      if ((op === '$set' || op === '$unset') && !path.includes('.')) written.add(path);
      else decode.add(topField(path));
      if (op === '$rename') {
        if (typeof value !== 'string') return false;
        decode.add(topField(value));
      }
    }
  }
  return true;
}

export function updateFields(filter: Doc, update: Doc | Doc[]): UpdateFields | undefined {
  const decode = new Set<string>(['_id']);
  const read = new Set<string>();
  const written = new Set<string>();
  if (!filterFields(filter, decode)) return undefined;
  if (Array.isArray(update)) {
    if (!pipelineUpdateFields(update, read, written)) return undefined;
  } else if (isOperatorObject(update)) {
    if (!operatorUpdateFields(update, read, written)) return undefined;
  } else {
    return undefined;
  }
  for (const field of read) decode.add(field);
  return { decode, written, changed: new Set([...read, ...written]) };
}

/**
 * A pipeline's fields when it reduces documents to groups or a count before anything could pass a whole
 * document on: `$match`, `$sort`, `$skip` and `$limit` stages, then `$group`, `$count` or `$sortByCount`.
 */
export function pipelineFields(pipeline: Doc[]): NeededFields | undefined {
  const out = new Set<string>();
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === '$match') {
      if (!isPlainObject(spec) || !filterFields(spec, out)) return undefined;
    } else if (name === '$sort') {
      if (!sortFields(spec, out)) return undefined;
    } else if (name === '$skip' || name === '$limit') {
      continue;
    } else if (name === '$group' || name === '$sortByCount') {
      return expressionFields(spec, out) ? out : undefined;
    } else if (name === '$count') {
      return out;
    } else {
      return undefined;
    }
  }
  return undefined;
}
