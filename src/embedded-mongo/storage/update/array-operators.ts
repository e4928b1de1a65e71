import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject, numericValue } from '../bson-values';
import { StringCompare, bsonEqual, compareBson } from '../compare';
import { Doc, cloneValue, getPath } from '../documents';
import { FilterOptions, compileFilter } from '../filter/compile-filter';
import { compileOperators } from '../filter/field-operators';
import { isOperatorObject, isRegexValue } from '../filter/values';
import { FieldTarget, typeName } from './field-target';

const PUSH_CLAUSES = new Set(['$each', '$slice', '$sort', '$position']);

function integer(value: unknown, what: string): number {
  const n = numericValue(value);
  if (n === null || !Number.isInteger(Number(n))) {
    throw badValue(`The value for ${what} must be an integer value but was given type: ${typeof value}`);
  }
  return Number(n);
}

function sortElements(items: unknown[], spec: unknown, strings?: StringCompare): unknown[] {
  if (spec === 1 || spec === -1 || typeof spec === 'bigint') {
    const dir = Number(spec);
    return [...items].sort((a, b) => dir * compareBson(a, b, strings));
  }
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    throw badValue('The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  }
  const fields = Object.entries(spec).map(([field, dir]) => {
    if (dir !== 1 && dir !== -1) throw badValue('The $sort element value must be either 1 or -1');
    return [field, dir] as const;
  });
  return [...items].sort((a, b) => {
    for (const [field, dir] of fields) {
      const c = compareBson(
        isPlainObject(a) ? getPath(a, field) : undefined,
        isPlainObject(b) ? getPath(b, field) : undefined,
        strings,
      );
      if (c !== 0) return c * dir;
    }
    return 0;
  });
}

/** `$push` with `$each`, `$position`, `$sort` and `$slice`, applied in that order. */
export function push(target: FieldTarget, arg: unknown, docId: unknown, strings?: StringCompare): void {
  const current = target.value ?? [];
  if (!Array.isArray(current)) {
    throw badValue(
      `The field '${target.name}' must be an array but is of type ${typeName(current)} in document {_id: ${String(docId)}}`,
    );
  }
  let next = [...current];
  if (isPlainObject(arg) && '$each' in arg) {
    for (const clause of Object.keys(arg)) {
      if (!PUSH_CLAUSES.has(clause)) throw badValue(`Unrecognized clause in $push: ${clause}`);
    }
    if (!Array.isArray(arg.$each)) {
      throw badValue(`The argument to $each in $push must be an array but it was of type: ${typeName(arg.$each)}`);
    }
    const each = arg.$each.map(cloneValue);
    let position = arg.$position === undefined ? next.length : integer(arg.$position, '$position');
    if (position < 0) position = Math.max(0, next.length + position);
    next.splice(Math.min(position, next.length), 0, ...each);
    if (arg.$sort !== undefined) next = sortElements(next, arg.$sort, strings);
    if (arg.$slice !== undefined) {
      const n = integer(arg.$slice, '$slice');
      next = n >= 0 ? next.slice(0, n) : next.slice(Math.max(0, next.length + n));
    }
  } else {
    next.push(cloneValue(arg));
  }
  target.set(next);
}

/** `$addToSet` (with `$each`): appends values not already present (BSON equality, collation aware). */
export function addToSet(target: FieldTarget, arg: unknown, strings?: StringCompare): void {
  const current = target.value ?? [];
  if (!Array.isArray(current)) {
    throw badValue(
      `Cannot apply $addToSet to non-array field. Field named '${target.name}' has non-array type ${typeName(current)}`,
    );
  }
  const values = isPlainObject(arg) && '$each' in arg ? arg.$each : [arg];
  if (!Array.isArray(values)) {
    throw badValue(`The argument to $each in $addToSet must be an array but it was of type ${typeName(values)}`);
  }
  const next = [...current];
  for (const value of values) if (!next.some((e) => bsonEqual(e, value, strings))) next.push(cloneValue(value));
  if (next.length !== current.length || !target.exists) target.set(next);
}

/** `$pop`: 1 removes the last element, -1 the first. */
export function pop(target: FieldTarget, arg: unknown): void {
  const n = numericValue(arg);
  if (n === null || (Number(n) !== 1 && Number(n) !== -1)) {
    throw new ServerError(ErrorCode.FailedToParse, `$pop expects 1 or -1, found: ${String(arg)}`);
  }
  if (!target.exists) return;
  const current = target.value;
  if (!Array.isArray(current)) {
    throw new ServerError(
      ErrorCode.TypeMismatch,
      `Path '${target.name}' contains an element of non-array type '${typeName(current)}'`,
    );
  }
  if (current.length > 0) target.set(Number(n) === 1 ? current.slice(0, -1) : current.slice(1));
}

/**
 * The element test of `$pull`: a document of query fields or logical operators matches element
 * documents as a query; operators or a regex match each element as a value; anything else is equality.
 */
function pullTest(condition: unknown, options: FilterOptions): (element: unknown) => boolean {
  if (isPlainObject(condition) && !isOperatorObject(condition)) {
    const query = compileFilter(condition, options);
    return (e) => isPlainObject(e) && query(e);
  }
  const first = isPlainObject(condition) ? Object.keys(condition)[0] : undefined;
  if (first === '$and' || first === '$or' || first === '$nor') {
    const query = compileFilter(condition as Doc, options);
    return (e) => isPlainObject(e) && query(e);
  }
  if (isPlainObject(condition)) {
    const test = compileOperators(condition, options, compileFilter);
    return (e) => test([e], true);
  }
  if (isRegexValue(condition)) {
    const test = compileFilter({ v: condition }, options);
    return (e) => test({ v: e });
  }
  const strings = options.collation?.compare;
  return (e) => bsonEqual(e, condition, strings);
}

/** `$pull` (by condition) and `$pullAll` (by any of the listed values). */
export function pull(op: '$pull' | '$pullAll', target: FieldTarget, arg: unknown, options: FilterOptions): void {
  if (op === '$pullAll' && !Array.isArray(arg)) {
    throw badValue(`$pullAll requires an array argument but was given a ${typeName(arg)}`);
  }
  if (!target.exists) return;
  const current = target.value;
  if (!Array.isArray(current)) throw badValue('Cannot apply $pull to a non-array value');
  const strings = options.collation?.compare;
  const remove =
    op === '$pullAll'
      ? (e: unknown) => (arg as unknown[]).some((v) => bsonEqual(e, v, strings))
      : pullTest(arg, options);
  const next = current.filter((e) => !remove(e));
  if (next.length !== current.length) target.set(next);
}
