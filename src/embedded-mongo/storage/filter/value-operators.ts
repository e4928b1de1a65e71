import { badValue } from '../../errors';
import { bsonClass, numericValue, rankOf } from '../bson-values';
import { compareBson } from '../compare';
import { encodeValue } from '../key-encoding';
import {
  FilterOptions,
  ValueTest,
  anyValue,
  equals,
  isOperatorObject,
  isRegexValue,
  regexMatcher,
  stringsFor,
} from './values';

const RANGE_OPERATORS: Record<string, (c: number) => boolean> = {
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
};

/** `$gt`, `$gte`, `$lt`, `$lte`: type-bracketed BSON comparison (MinKey and MaxKey bound every type). */
export function rangeTest(op: string, operand: unknown, options: FilterOptions): ValueTest {
  const accept = RANGE_OPERATORS[op];
  const strings = stringsFor(operand, options);
  const bound = bsonClass(operand);
  if (bound === 'MinKey' || bound === 'MaxKey') {
    // MinKey and MaxKey bound every type, so no type bracketing applies.
    return (reached, expand) => anyValue(reached, expand, (v) => accept(compareBson(v, operand)));
  }
  const rank = rankOf(operand);
  return (reached, expand) =>
    anyValue(reached, expand, (v) => rankOf(v) === rank && accept(compareBson(v, operand, strings)));
}

/** `$in`: equality to any listed value; listed regexes match strings by pattern. */
export function inTest(list: unknown, options: FilterOptions): ValueTest {
  if (!Array.isArray(list)) throw badValue('$in needs an array');
  const regexes = list.filter(isRegexValue).map(regexMatcher);
  const values = list.filter((v) => !isRegexValue(v));
  if (values.some(isOperatorObject)) throw badValue('cannot nest $ under $in');
  const collated = options.collation && values.some((v) => stringsFor(v, options));
  let member: (value: unknown) => boolean;
  if (collated) {
    const tests = values.map((v) => equals(v, options));
    member = (value) => tests.some((t) => t(value));
  } else {
    const keys = new Set(values.map((v) => encodeValue(v)));
    member = (value) => keys.has(encodeValue(value));
  }
  return (reached, expand) =>
    anyValue(reached, expand, (v) => member(v) || (regexes.length > 0 && regexes.some((r) => r(v))));
}

/** `$size`: arrays of exactly that many elements. */
export function sizeTest(operand: unknown): ValueTest {
  const n = numericValue(operand);
  if (n === null) throw badValue(`Failed to parse $size. Expected a number in: $size: ${String(operand)}`);
  const size = Number(n);
  if (!Number.isInteger(size)) throw badValue(`Failed to parse $size. Expected an integer in: $size: ${size}`);
  if (size < 0) throw badValue(`Failed to parse $size. Expected a non-negative number in: $size: ${size}`);
  return (reached) => reached.some((v) => Array.isArray(v) && v.length === size);
}

/** `$mod`: `[divisor, remainder]`, both truncated to integers, over numeric values. */
export function modTest(operand: unknown): ValueTest {
  if (!Array.isArray(operand)) throw badValue('malformed mod, needs to be an array');
  if (operand.length < 2) throw badValue('malformed mod, not enough elements');
  if (operand.length > 2) throw badValue('malformed mod, too many elements');
  const [d, r] = operand.map(numericValue);
  if (d === null) throw badValue('malformed mod, divisor not a number');
  if (r === null) throw badValue('malformed mod, remainder not a number');
  if (!Number.isFinite(Number(d)) || !Number.isFinite(Number(r))) {
    throw badValue('malformed mod, divisor value is invalid');
  }
  const divisor = BigInt(Math.trunc(Number(d)));
  const remainder = BigInt(Math.trunc(Number(r)));
  if (divisor === 0n) throw badValue('divisor cannot be 0');
  return (reached, expand) =>
    anyValue(reached, expand, (v) => {
      const n = numericValue(v);
      if (n === null || (typeof n === 'number' && !Number.isFinite(n))) return false;
      const whole = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
      return whole % divisor === remainder;
    });
}
