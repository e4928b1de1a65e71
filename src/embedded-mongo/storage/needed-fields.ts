import { isPlainObject } from './bson-values';
import { Doc } from './documents';

/**
 * The top-level fields a read needs from each stored document, so that only those are decoded; undefined
 * when it needs whole documents (no projection, an exclusion, `$$ROOT`, a stage that passes documents on).
 * Sets are supersets: a name that only looks like a field path costs a little decoding, never a result.
 */
export type NeededFields = ReadonlySet<string>;

const topField = (path: string) => path.split('.')[0];

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
