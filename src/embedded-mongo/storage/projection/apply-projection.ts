import { ErrorCode, ServerError } from '../../errors';
import { isPlainObject, own, setOwn } from '../bson-values';
import { Doc, getPath } from '../documents';
import { FilterOptions, compileFilter } from '../filter/compile-filter';
import { positionalIndex } from '../filter/positional';
import { evaluate } from '../mingo';
import { ProjectionSpec, parseProjection } from './parse-projection';

/** A path tree: `true` marks a whole field, a nested tree a field projected further. */
type Tree = Map<string, Tree | true>;

function treeOf(paths: string[]): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    const parts = path.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node.set(part, true);
      else {
        let next = node.get(part);
        if (next === undefined || next === true) node.set(part, (next = new Map()));
        node = next;
      }
    });
  }
  return root;
}

/** Inclusion keeps only the tree's fields, in document order; arrays keep their projected sub-documents. */
function include(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) {
    return value.filter((e) => isPlainObject(e) || Array.isArray(e)).map((e) => include(e, tree));
  }
  if (!isPlainObject(value)) return undefined;
  const out: Doc = {};
  for (const key of Object.keys(value)) {
    const node = tree.get(key);
    if (node === undefined) continue;
    const projected = node === true ? value[key] : include(value[key], node);
    if (projected !== undefined) setOwn(out, key, projected);
  }
  return out;
}

/** Exclusion drops the tree's fields; arrays pass scalars through and project their sub-documents. */
function exclude(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map((e) => (isPlainObject(e) || Array.isArray(e) ? exclude(e, tree) : e));
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const key of Object.keys(value)) {
    const node = tree.get(key);
    if (node === true) continue;
    setOwn(out, key, node === undefined ? value[key] : exclude(value[key], node));
  }
  return out;
}

/** Applies `edit` to the value at a path, fanning out over arrays on the way (as `$slice` does). */
function editAt(value: unknown, parts: string[], edit: (v: unknown) => unknown): unknown {
  if (parts.length === 0) return edit(value);
  if (Array.isArray(value)) return value.map((e) => (isPlainObject(e) ? editAt(e, parts, edit) : e));
  if (!isPlainObject(value) || own(value, parts[0]) === undefined) return value;
  const out: Doc = { ...value };
  setOwn(out, parts[0], editAt(value[parts[0]], parts.slice(1), edit));
  return out;
}

function slice(array: unknown[], skip: number, limit: number | null): unknown[] {
  if (limit === null) return array;
  if (skip === 0 && limit < 0) return array.slice(Math.max(0, array.length + limit));
  if (skip === 0) return array.slice(0, limit);
  const start = skip < 0 ? Math.max(0, array.length + skip) : Math.min(skip, array.length);
  return array.slice(start, start + limit);
}

function setPathCreating(doc: Doc, parts: string[], value: unknown): void {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(own(node, part))) setOwn(node, part, {});
    node = node[part] as Doc;
  }
  setOwn(node, parts[parts.length - 1], value);
}

export type Projector = (doc: Doc) => Doc;

/**
 * Compiles a find projection with MongoDB's rules: inclusion or exclusion, `_id` kept unless
 * excluded, `$slice` (which keeps every other field when used alone), `$elemMatch`, the
 * positional `a.$` (the element the filter matched) and computed fields.
 */
export function compileProjection(
  raw: Doc | undefined,
  filter: Doc = {},
  options: FilterOptions = {},
): Projector | null {
  const spec: ProjectionSpec | null = parseProjection(raw);
  if (!spec) return null;
  const special = [
    ...spec.slices.map((s) => s.path),
    ...spec.elemMatches.map((e) => e.field),
    ...(spec.positional ? [spec.positional] : []),
  ];
  const tree = treeOf(spec.mode === 'inclusion' ? [...spec.paths, ...special] : spec.paths);
  const elemMatchers = spec.elemMatches.map(({ field, condition }) => ({
    field,
    test: compileFilter({ [field]: { $elemMatch: condition } }, options),
  }));
  return (doc) => {
    let out = (spec.mode === 'inclusion' ? include(doc, tree) : exclude(doc, tree)) as Doc;
    if (spec.mode === 'inclusion' && !spec.excludeId && doc._id !== undefined) out = { _id: doc._id, ...out };
    if (spec.excludeId) delete out._id;
    for (const { path, skip, limit } of spec.slices) {
      out = editAt(out, path.split('.'), (v) => (Array.isArray(v) ? slice(v, skip, limit) : v)) as Doc;
    }
    for (const { field, test } of elemMatchers) {
      const array = own(doc, field);
      const first = Array.isArray(array) ? array.find((e) => test({ [field]: [e] })) : undefined;
      if (first === undefined) delete out[field];
      else setOwn(out, field, [first]);
    }
    if (spec.positional) {
      const array = getPath(doc, spec.positional);
      if (Array.isArray(array)) {
        const index = positionalIndex(doc, spec.positional, filter, options);
        if (index === null) {
          throw new ServerError(
            ErrorCode.PositionalProjectionMismatch,
            "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
          );
        }
        out = editAt(out, spec.positional.split('.'), () => [array[index]]) as Doc;
      }
    }
    for (const { path, expr } of spec.computed) {
      const value = evaluate(doc, expr, options.collation);
      if (value !== undefined) setPathCreating(out, path.split('.'), value);
    }
    return out;
  };
}
