import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject, numericValue } from '../bson-values';
import { reachedValues } from '../documents';
import { evaluate } from '../mingo';
import { compileOperators, equalityTest } from './field-operators';
import { FilterOptions, isOperatorObject, truthy } from './values';

export type { FilterOptions } from './values';

/** A compiled query filter. */
export type Matcher = (doc: unknown) => boolean;

function branches(op: string, value: unknown, options: FilterOptions): Matcher[] {
  if (!Array.isArray(value) || value.length === 0) throw badValue(`${op} must be a nonempty array`);
  return value.map((branch) => {
    if (!isPlainObject(branch)) throw badValue('$or/$and/$nor entries need to be full objects');
    return compileFilter(branch, options);
  });
}

function topLevel(op: string, value: unknown, options: FilterOptions): Matcher {
  switch (op) {
    case '$and': {
      const all = branches(op, value, options);
      return (doc) => all.every((m) => m(doc));
    }
    case '$or': {
      const any = branches(op, value, options);
      return (doc) => any.some((m) => m(doc));
    }
    case '$nor': {
      const none = branches(op, value, options);
      return (doc) => !none.some((m) => m(doc));
    }
    case '$expr':
      return (doc) => truthy(evaluate(doc, value, options.collation));
    case '$comment':
    case '$alwaysTrue':
      return () => true;
    case '$alwaysFalse':
      return () => false;
    case '$sampleRate': {
      const rate = Number(numericValue(value));
      if (!(rate >= 0 && rate <= 1)) throw badValue('numeric argument to $sampleRate must be in [0, 1]');
      return () => Math.random() < rate;
    }
    case '$where':
      throw badValue('$where is not allowed: server-side JavaScript is disabled');
    case '$text':
      throw new ServerError(ErrorCode.IndexNotFound, 'text index required for $text query');
    case '$jsonSchema':
      throw new ServerError(ErrorCode.NotImplemented, '$jsonSchema is not supported by the embedded server');
    default:
      throw badValue(
        `unknown top level operator: ${op}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
      );
  }
}

function fieldMatcher(path: string, condition: unknown, options: FilterOptions): Matcher {
  const test = isOperatorObject(condition)
    ? compileOperators(condition, options, compileFilter)
    : equalityTest(condition, options);
  const parts = path.split('.');
  return (doc) => test(reachedValues(doc, parts), true);
}

/**
 * Compiles a query filter with MongoDB's semantics: paths fan out over arrays, a condition holds
 * if any reached value (or array element) meets it, comparisons are type-bracketed in BSON order,
 * and malformed operators fail here, before any document is read.
 */
export function compileFilter(filter: Record<string, unknown>, options: FilterOptions = {}): Matcher {
  if (!isPlainObject(filter)) throw badValue('query filter must be an object');
  const tests: Matcher[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    tests.push(key.startsWith('$') ? topLevel(key, condition, options) : fieldMatcher(key, condition, options));
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (doc) => tests.every((t) => t(doc));
}
