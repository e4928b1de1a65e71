import { badValue } from '../../errors';
import { bsonClass, isPlainObject, numericValue, rankOf, regexParts } from '../bson-values';
import { Collation } from '../collation';
import { StringCompare, compareBson } from '../compare';
import { encodeValue } from '../key-encoding';

/** What a filter is compiled with. */
export interface FilterOptions {
  /** A non-simple collation: strings compare under it. */
  collation?: Collation | null;
}

/** Tests the values a path reached; `expand` also tries the elements of arrays (off inside $elemMatch). */
export type ValueTest = (reached: unknown[], expand: boolean) => boolean;

/** Whether `test` holds for a reached value or, when expanding, for an element of a reached array. */
export function anyValue(reached: unknown[], expand: boolean, test: (value: unknown) => boolean): boolean {
  for (const value of reached) {
    if (test(value)) return true;
    if (expand && Array.isArray(value)) {
      for (const element of value) if (test(element)) return true;
    }
  }
  return false;
}

/** An object whose first key is an operator (`{ $gt: 1 }`), as opposed to a literal sub-document. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$');
}

export function isRegexValue(value: unknown): boolean {
  return value instanceof RegExp || bsonClass(value) === 'BSONRegExp';
}

/** MongoDB's truthiness of an expression result: false, null, missing and zero are false. */
export function truthy(value: unknown): boolean {
  if (value === false || value === null || value === undefined) return false;
  const n = numericValue(value);
  return n === null || (typeof n === 'bigint' ? n !== 0n : n !== 0);
}

function containsString(value: unknown): boolean {
  if (typeof value === 'string' || bsonClass(value) === 'BSONSymbol') return true;
  if (Array.isArray(value)) return value.some(containsString);
  if (isPlainObject(value)) return Object.values(value).some(containsString);
  return false;
}

/** The string comparison a collation brings to a query operand, or none when it cannot matter. */
export function stringsFor(operand: unknown, options: FilterOptions): StringCompare | undefined {
  return options.collation && containsString(operand) ? options.collation.compare : undefined;
}

/** Equality to one value under MongoDB's rules (null also matches missing). */
export function equals(operand: unknown, options: FilterOptions): (value: unknown) => boolean {
  if (operand === null || operand === undefined) return (value) => value === null || value === undefined;
  const strings = stringsFor(operand, options);
  if (strings) return (value) => compareBson(value, operand, strings) === 0;
  const rank = rankOf(operand);
  const key = encodeValue(operand);
  return (value) => rankOf(value) === rank && encodeValue(value) === key;
}

const REGEX_FLAGS = new Set(['i', 'm', 's', 'x', 'u']);
/** Stands in for an escaped `#` while the `x` flag strips comments (a private-use character). */
const ESCAPED_HASH = '\ue000';

/** A JavaScript RegExp for a MongoDB pattern and options (`x` strips whitespace and comments). */
export function toRegExp(pattern: string, options: string): RegExp {
  let flags = '';
  let source = pattern;
  for (const flag of options) {
    if (!REGEX_FLAGS.has(flag)) throw badValue(`invalid flag in regex options: ${flag}`);
    if (flag === 'x') source = source.replace(/\\#/g, ESCAPED_HASH).replace(/#.*$/gm, '').replace(/\s+/g, '');
    else if (!flags.includes(flag)) flags += flag;
  }
  try {
    return new RegExp(source.split(ESCAPED_HASH).join('\\#'), flags);
  } catch (error) {
    throw badValue(`Regular expression is invalid: ${(error as Error).message}`);
  }
}

/** Pattern match on strings; a stored regex matches only an identical regex. */
export function regexMatcher(regex: unknown): (value: unknown) => boolean {
  const { pattern, flags } = regexParts(regex);
  const re = toRegExp(pattern, flags.replace(/[gy]/g, ''));
  return (value) => {
    if (typeof value === 'string') return re.test(value);
    if (bsonClass(value) === 'BSONSymbol') return re.test(String((value as { value: string }).value));
    if (!isRegexValue(value)) return false;
    const other = regexParts(value);
    return other.pattern === pattern && other.flags === flags;
  };
}
