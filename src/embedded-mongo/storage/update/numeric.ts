import { Decimal128 } from 'bson';
import { badValue } from '../../errors';
import { bsonClass, isInt32, numericValue } from '../bson-values';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Kind = 'int' | 'long' | 'double' | 'decimal';

/** The numeric type of a stored value, or null when it is not a number. */
export function numericKind(value: unknown): Kind | null {
  if (typeof value === 'number') return isInt32(value) ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  switch (bsonClass(value)) {
    case 'Decimal128':
      return 'decimal';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case undefined:
    default:
      return null;
  }
}

function widest(a: Kind, b: Kind): Kind {
  const order: Kind[] = ['int', 'long', 'double', 'decimal'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))];
}

function checkedLong(value: bigint, what: string): bigint {
  if (value < INT64_MIN || value > INT64_MAX) throw badValue(`${what} overflowed a 64-bit integer`);
  return value;
}

/**
 * `$inc` and `$mul` with MongoDB's type rules: int op int stays int unless it overflows (then
 * long), long op int/long stays long, anything with a double is a double, decimal wins over all.
 */
export function arithmetic(op: '$inc' | '$mul', current: unknown, operand: unknown): unknown {
  if (typeof current === 'number' && typeof operand === 'number') {
    // The common case without BigInt: doubles stay doubles, ints stay ints unless they overflow.
    const result = op === '$inc' ? current + operand : current * operand;
    if (!isInt32(current) || !isInt32(operand) || isInt32(result)) return result;
  }
  const a = numericValue(current)!;
  const b = numericValue(operand)!;
  const kind = widest(numericKind(current)!, numericKind(operand)!);
  if (kind === 'decimal') {
    const result = op === '$inc' ? Number(a) + Number(b) : Number(a) * Number(b);
    return Decimal128.fromString(String(result));
  }
  if (kind === 'double') return op === '$inc' ? Number(a) + Number(b) : Number(a) * Number(b);
  const exact = op === '$inc' ? BigInt(a) + BigInt(b) : BigInt(a) * BigInt(b);
  if (kind === 'int' && exact >= -(2n ** 31n) && exact < 2n ** 31n) return Number(exact);
  return checkedLong(exact, op);
}

/** The zero `$mul` leaves in a missing field: 0 of the operand's type. */
export function zeroLike(operand: unknown): unknown {
  switch (numericKind(operand)) {
    case 'long':
      return 0n;
    case 'decimal':
      return Decimal128.fromString('0');
    case 'int':
    case 'double':
    case null:
      return 0;
  }
}

/** `$bit` and/or/xor on int and long values. */
export function bitwise(current: unknown, spec: Record<string, unknown>): unknown {
  let result = BigInt(numericValue(current)!);
  let long = numericKind(current) === 'long';
  for (const [op, operand] of Object.entries(spec)) {
    const kind = numericKind(operand);
    if (kind !== 'int' && kind !== 'long') {
      throw badValue(
        `The $bit modifier field must be an Integer(32/64 bit); a '${typeof operand}' is not supported here`,
      );
    }
    long ||= kind === 'long';
    const b = BigInt(numericValue(operand)!);
    if (op === 'and') result &= b;
    else if (op === 'or') result |= b;
    else if (op === 'xor') result ^= b;
    else throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${op}'`);
  }
  return long ? BigInt.asIntN(64, result) : Number(BigInt.asIntN(32, result));
}
