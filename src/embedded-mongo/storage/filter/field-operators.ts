import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject } from '../bson-values';
import { bitTest } from './bit-operators';
import { inTest, modTest, rangeTest, sizeTest } from './value-operators';
import { geoIntersectsTest, geoWithinTest } from './geo-operators';
import { typeTest } from './type-operator';
import {
  FilterOptions,
  ValueTest,
  anyValue,
  equals,
  isOperatorObject,
  isRegexValue,
  regexMatcher,
  toRegExp,
  truthy,
} from './values';

/** Compiles a sub-filter for one document (`$elemMatch` on objects); provided by compile-filter. */
export type DocumentFilterCompiler = (
  filter: Record<string, unknown>,
  options: FilterOptions,
) => (doc: unknown) => boolean;

/** Operators that apply to an element's value rather than to fields of an element document. */
const NON_VALUE_OPERATORS = new Set(['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment', '$jsonSchema']);

export function equalityTest(operand: unknown, options: FilterOptions): ValueTest {
  if (isRegexValue(operand)) {
    const match = regexMatcher(operand);
    return (reached, expand) => anyValue(reached, expand, match);
  }
  const match = equals(operand, options);
  return (reached, expand) => anyValue(reached, expand, match);
}

function allTest(list: unknown, options: FilterOptions, compile: DocumentFilterCompiler): ValueTest {
  if (!Array.isArray(list)) throw badValue('$all needs an array');
  if (list.length === 0) return () => false;
  const elemMatches = list.filter((v) => isPlainObject(v) && Object.keys(v)[0] === '$elemMatch');
  if (elemMatches.length > 0 && elemMatches.length !== list.length) {
    throw badValue('$all/$elemMatch has to be consistent');
  }
  const tests = list.map((v) => {
    if (elemMatches.length > 0) return elemMatchTest((v as Record<string, unknown>).$elemMatch, options, compile);
    if (isOperatorObject(v)) throw badValue('no $ expressions in $all');
    return equalityTest(v, options);
  });
  return (reached, expand) => tests.every((t) => t(reached, expand));
}

function elemMatchTest(spec: unknown, options: FilterOptions, compile: DocumentFilterCompiler): ValueTest {
  if (!isPlainObject(spec)) throw badValue('$elemMatch needs an Object');
  const first = Object.keys(spec)[0];
  let element: (value: unknown) => boolean;
  if (first !== undefined && first.startsWith('$') && !NON_VALUE_OPERATORS.has(first)) {
    // `{ $gte: 5 }`: each element is tested as a value.
    const inner = compileOperators(spec, options, compile);
    element = (value) => inner([value], false);
  } else {
    const inner = compile(spec, options);
    element = (value) => isPlainObject(value) && inner(value);
  }
  return (reached) => reached.some((v) => Array.isArray(v) && v.some(element));
}

function regexOperatorTest(pattern: unknown, options: unknown): ValueTest {
  if (options !== undefined && typeof options !== 'string') throw badValue('$options has to be a string');
  let regex: RegExp;
  if (typeof pattern === 'string') regex = toRegExp(pattern, options ?? '');
  else if (isRegexValue(pattern)) {
    const own = pattern instanceof RegExp ? pattern.flags : String((pattern as { options: string }).options);
    if (own && options) throw badValue('options set in both $regex and $options');
    const source = pattern instanceof RegExp ? pattern.source : String((pattern as { pattern: string }).pattern);
    regex = toRegExp(source, (own || options || '').replace(/[gy]/g, ''));
  } else {
    throw badValue('$regex has to be a string');
  }
  const match = regexMatcher(regex);
  return (reached, expand) => anyValue(reached, expand, match);
}

function notTest(operand: unknown, options: FilterOptions, compile: DocumentFilterCompiler): ValueTest {
  let inner: ValueTest;
  if (isRegexValue(operand)) inner = equalityTest(operand, options);
  else if (isPlainObject(operand)) {
    if (Object.keys(operand).length === 0) throw badValue('$not cannot be empty');
    if (!isOperatorObject(operand)) throw badValue('$not needs a regex or a document');
    inner = compileOperators(operand, options, compile);
  } else {
    throw badValue('$not needs a regex or a document');
  }
  return (reached, expand) => !inner(reached, expand);
}

function nearNotSupported(): never {
  throw new ServerError(
    ErrorCode.NoQueryExecutionPlans,
    'error processing query: planner returned error :: caused by :: unable to find index for $geoNear query',
  );
}

/** Compiles an operator document (`{ $gt: 1, $lt: 5 }`) into one test of the values a path reaches. */
export function compileOperators(
  ops: Record<string, unknown>,
  options: FilterOptions,
  compile: DocumentFilterCompiler,
): ValueTest {
  const tests: ValueTest[] = [];
  for (const [op, operand] of Object.entries(ops)) {
    switch (op) {
      case '$eq':
        tests.push((reached, expand) => anyValue(reached, expand, equals(operand, options)));
        break;
      case '$ne': {
        if (isRegexValue(operand)) throw badValue("Can't have regex as arg to $ne.");
        const eq = equals(operand, options);
        tests.push((reached, expand) => !anyValue(reached, expand, eq));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        tests.push(rangeTest(op, operand, options));
        break;
      case '$in':
        tests.push(inTest(operand, options));
        break;
      case '$nin': {
        const inner = inTest(operand, options);
        tests.push((reached, expand) => !inner(reached, expand));
        break;
      }
      case '$exists': {
        const wanted = truthy(operand);
        tests.push((reached) => reached.some((v) => v !== undefined) === wanted);
        break;
      }
      case '$type':
        tests.push(typeTest(operand));
        break;
      case '$size':
        tests.push(sizeTest(operand));
        break;
      case '$all':
        tests.push(allTest(operand, options, compile));
        break;
      case '$elemMatch':
        tests.push(elemMatchTest(operand, options, compile));
        break;
      case '$regex':
        tests.push(regexOperatorTest(operand, ops.$options));
        break;
      case '$options':
        if (!('$regex' in ops)) throw badValue('$options needs a $regex');
        break;
      case '$mod':
        tests.push(modTest(operand));
        break;
      case '$not':
        tests.push(notTest(operand, options, compile));
        break;
      case '$bitsAllSet':
      case '$bitsAnySet':
      case '$bitsAllClear':
      case '$bitsAnyClear':
        tests.push(bitTest(op, operand));
        break;
      case '$geoWithin':
        tests.push(geoWithinTest(operand));
        break;
      case '$geoIntersects':
        tests.push(geoIntersectsTest(operand));
        break;
      case '$near':
      case '$nearSphere':
      case '$maxDistance':
      case '$minDistance':
        return nearNotSupported();
      default:
        throw badValue(`unknown operator: ${op}`);
    }
  }
  return tests.length === 1 ? tests[0] : (reached, expand) => tests.every((t) => t(reached, expand));
}
