import { Collation } from './collation';
import { Doc, valuesAtPath } from './documents';
import { Matcher, compileFilter } from './filter/compile-filter';
import { encodeValue, isPlainObject } from './key-encoding';

type Test = (keys: string[]) => boolean;

const RANGE_TAGS = '2379'; // numbers, strings, ObjectIds, dates: the types ranges compare within
const OPERATORS = new Set(['$eq', '$in', '$gt', '$gte', '$lt', '$lte']);

function isKeyable(value: unknown): boolean {
  if (
    value === null ||
    value === undefined ||
    value instanceof RegExp ||
    Array.isArray(value) ||
    isPlainObject(value)
  ) {
    return false;
  }
  return (value as { _bsontype?: string })._bsontype !== 'BSONRegExp';
}

function rangeTest(op: string, value: unknown): Test | null {
  if (!isKeyable(value)) return null;
  const bound = encodeValue(value);
  const tag = bound[0];
  if (!RANGE_TAGS.includes(tag)) return null;
  const within = (k: string) => k[0] === tag;
  switch (op) {
    case '$gt':
      return (keys) => keys.some((k) => within(k) && k > bound);
    case '$gte':
      return (keys) => keys.some((k) => within(k) && k >= bound);
    case '$lt':
      return (keys) => keys.some((k) => within(k) && k < bound);
    default:
      return (keys) => keys.some((k) => within(k) && k <= bound);
  }
}

function conditionTests(condition: unknown): Test[] | null {
  if (!isPlainObject(condition)) {
    if (!isKeyable(condition)) return null;
    const key = encodeValue(condition);
    return [(keys) => keys.includes(key)];
  }
  const ops = Object.entries(condition);
  if (ops.length === 0 || !ops.every(([op]) => OPERATORS.has(op))) return null;
  const tests: Test[] = [];
  for (const [op, value] of ops) {
    if (op === '$eq') {
      if (!isKeyable(value)) return null;
      const key = encodeValue(value);
      tests.push((keys) => keys.includes(key));
    } else if (op === '$in') {
      if (!Array.isArray(value) || !value.every(isKeyable)) return null;
      const set = new Set(value.map((v) => encodeValue(v)));
      tests.push((keys) => keys.some((k) => set.has(k)));
    } else {
      const test = rangeTest(op, value);
      if (!test) return null;
      tests.push(test);
    }
  }
  return tests;
}

/**
 * Compiles the filters that dominate real traffic (equality, `$eq`, `$in` and ranges on scalar
 * values, per field) into a direct matcher over the same order-preserving keys indexes use. Each
 * operator may be met by a different array element, as in MongoDB. Anything else returns null and
 * is matched by mingo; the differential test in simple-filter.spec.ts holds the two to agreement.
 */
export function compileSimpleFilter(filter: Doc): ((doc: unknown) => boolean) | null {
  const fields: Array<[string, Test[]]> = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || field.length === 0) return null;
    const tests = conditionTests(condition);
    if (!tests) return null;
    fields.push([field, tests]);
  }
  return (doc) =>
    fields.every(([field, tests]) => {
      const keys = valuesAtPath(doc as Doc, field).map((v) => encodeValue(v));
      return tests.every((test) => test(keys));
    });
}

/** The direct matcher for simple filters, the full matcher for everything else (finds and `$match` alike). */
export function compileMatcher(filter: Doc, collation: Collation | null = null): Matcher {
  return (!collation && compileSimpleFilter(filter)) || compileFilter(filter, { collation });
}
