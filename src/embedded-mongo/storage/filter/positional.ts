import { isPlainObject, own, setOwn } from '../bson-values';
import { Doc, getPath } from '../documents';
import { FilterOptions, compileFilter } from './compile-filter';

function relevant(path: string, arrayPath: string): boolean {
  return path === arrayPath || path.startsWith(`${arrayPath}.`);
}

/** The conditions of a filter on the array at `arrayPath` (top level and inside `$and`). */
function conditionsOn(filter: Doc, arrayPath: string, into: Doc[] = []): Doc[] {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const branch of condition) if (isPlainObject(branch)) conditionsOn(branch, arrayPath, into);
    } else if (!key.startsWith('$') && relevant(key, arrayPath)) {
      into.push({ [key]: condition });
    }
  }
  return into;
}

/** A copy of `doc` whose array at `arrayPath` holds only `element` (copied along the path only). */
function withOnly(doc: Doc, parts: string[], element: unknown): Doc {
  const root: Doc = { ...doc };
  let target = root;
  for (const part of parts.slice(0, -1)) {
    const next = { ...(own(target, part) as Doc) };
    setOwn(target, part, next);
    target = next;
  }
  setOwn(target, parts[parts.length - 1], [element]);
  return root;
}

/**
 * The index of the array element the filter matched at `arrayPath`: what the positional `$`
 * stands for in projections and updates. Null when the filter does not constrain that array
 * or no element satisfies it.
 */
export function positionalIndex(doc: Doc, arrayPath: string, filter: Doc, options: FilterOptions = {}): number | null {
  const array = getPath(doc, arrayPath);
  if (!Array.isArray(array)) return null;
  let conditions = conditionsOn(filter, arrayPath);
  if (conditions.length === 0 && Array.isArray(filter.$or)) {
    // The first $or branch that matches the document and constrains the array decides.
    for (const branch of filter.$or) {
      if (!isPlainObject(branch)) continue;
      const onArray = conditionsOn(branch, arrayPath);
      if (onArray.length > 0 && compileFilter(branch, options)(doc)) {
        conditions = onArray;
        break;
      }
    }
  }
  if (conditions.length === 0) return null;
  const test = compileFilter({ $and: conditions }, options);
  const parts = arrayPath.split('.');
  for (let i = 0; i < array.length; i++) if (test(withOnly(doc, parts, array[i]))) return i;
  return null;
}
