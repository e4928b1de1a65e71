import { badValue } from '../../errors';
import { binaryParts, bsonClass, numericValue } from '../bson-values';
import { ValueTest, anyValue } from './values';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The bit positions a mask names: a list of positions, a non-negative integer, or BinData bytes. */
function positionsOf(op: string, mask: unknown): number[] {
  if (Array.isArray(mask)) {
    return mask.map((p) => {
      const n = numericValue(p);
      if (n === null || !Number.isInteger(Number(n))) {
        throw badValue(`bit positions must be an integer but got: ${String(p)}`);
      }
      if (Number(n) < 0) throw badValue(`bit positions must be >= 0 but got: ${String(p)}`);
      return Number(n);
    });
  }
  if (bsonClass(mask) === 'Binary') return setBits(binaryParts(mask).bytes);
  const n = numericValue(mask);
  if (n !== null) {
    if (!Number.isInteger(Number(n))) throw badValue(`${op} cannot take a non-integer mask`);
    const big = BigInt(n);
    if (big < 0n) throw badValue(`${op} cannot take a negative mask`);
    const out: number[] = [];
    for (let p = 0; big >> BigInt(p) > 0n; p++) if ((big >> BigInt(p)) & 1n) out.push(p);
    return out;
  }
  throw badValue(`${op} takes an Array, a number, or a BinData but received: ${String(mask)}`);
}

function setBits(bytes: Uint8Array): number[] {
  const out: number[] = [];
  bytes.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
  });
  return out;
}

/** A bit reader for a stored value: integers as 64-bit two's complement, BinData little-endian. */
function bitReader(value: unknown): ((position: number) => boolean) | null {
  if (bsonClass(value) === 'Binary') {
    const { bytes } = binaryParts(value);
    return (p) => p < bytes.length * 8 && ((bytes[p >> 3] >> (p & 7)) & 1) === 1;
  }
  const n = numericValue(value);
  if (n === null) return null;
  if (typeof n === 'number' && !Number.isInteger(n)) return null;
  const big = BigInt(n);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  // Bits beyond 63 repeat the sign, as for any two's complement integer.
  return (p) => (p < 64 ? ((big >> BigInt(p)) & 1n) === 1n : big < 0n);
}

/** `$bitsAllSet`, `$bitsAnySet`, `$bitsAllClear`, `$bitsAnyClear` over integers and binary data. */
export function bitTest(op: string, mask: unknown): ValueTest {
  const positions = positionsOf(op, mask);
  const check = (read: (p: number) => boolean): boolean => {
    switch (op) {
      case '$bitsAllSet':
        return positions.every(read);
      case '$bitsAnySet':
        return positions.some(read);
      case '$bitsAllClear':
        return positions.every((p) => !read(p));
      default:
        return positions.some((p) => !read(p));
    }
  };
  return (reached, expand) =>
    anyValue(reached, expand, (v) => {
      const read = bitReader(v);
      return read !== null && check(read);
    });
}
