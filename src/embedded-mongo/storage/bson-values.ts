/**
 * The server's value model. Documents hold what `bson.deserialize(..., BSON_READ_OPTIONS)` returns:
 * int32 and double as numbers (an integral number inside the int32 range is an int32, as the
 * encoder writes it), int64 as bigint (so it round-trips as int64), and the bson classes for the
 * rest. Comparison follows MongoDB's canonical type order, then the value within the type.
 */
export const BSON_READ_OPTIONS = { useBigInt64: true } as const;

/** Canonical type ranks; values of different ranks never compare equal (type bracketing). */
export const Rank = {
  minKey: 0,
  nullish: 1,
  number: 2,
  string: 3,
  object: 4,
  array: 5,
  binary: 6,
  objectId: 7,
  boolean: 8,
  date: 9,
  timestamp: 10,
  regex: 11,
  code: 12,
  maxKey: 13,
} as const;

type BsonObject = { _bsontype?: unknown };

/** The bson class name of a value (`ObjectId`, `Binary`, ...), if it is one. */
export function bsonClass(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const tag = (value as BsonObject)._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for values that are sub-documents (not arrays, dates, regexes or bson values). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp || bsonClass(value) !== undefined) return false;
  return true;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Whether a JS number is stored as a 32-bit integer (what the bson encoder writes for it). */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

/** MongoDB's numeric type codes for `$type` and `$bsonType`. */
export const TYPE_CODES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

const CLASS_CODES: Record<string, number> = {
  ObjectId: 7,
  ObjectID: 7,
  Binary: 5,
  Decimal128: 19,
  Long: 18,
  Int32: 16,
  Double: 1,
  Timestamp: 17,
  MinKey: -1,
  MaxKey: 127,
  BSONRegExp: 11,
  BSONSymbol: 14,
  DBRef: 3,
  DBPointer: 12,
};

/** The BSON type code of a stored value; undefined for a missing value. */
export function typeCode(value: unknown): number | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'number':
      return isInt32(value) ? 16 : 1;
    case 'bigint':
      return 18;
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    case 'object':
    case 'function':
    case 'symbol':
      break;
  }
  if (value === null) return 10;
  if (Array.isArray(value)) return 4;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  const cls = bsonClass(value);
  if (cls === 'Code') return (value as { scope?: unknown }).scope ? 15 : 13;
  return cls ? (CLASS_CODES[cls] ?? 3) : 3;
}

/** A numeric value as number or bigint (exact for int64), or null when the value is not a number. */
export function numericValue(value: unknown): number | bigint | null {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  switch (bsonClass(value)) {
    case 'Long':
      return BigInt(String(value));
    case 'Int32':
    case 'Double':
      return (value as { value: number }).value;
    case 'Decimal128':
      return Number.parseFloat(String(value));
    case undefined:
    default:
      return null;
  }
}

/** The canonical type rank of a value (missing and null share one). */
export function rankOf(value: unknown): number {
  switch (typeof value) {
    case 'undefined':
      return Rank.nullish;
    case 'number':
    case 'bigint':
      return Rank.number;
    case 'string':
      return Rank.string;
    case 'boolean':
      return Rank.boolean;
    case 'object':
    case 'function':
    case 'symbol':
      break;
  }
  if (value === null) return Rank.nullish;
  if (Array.isArray(value)) return Rank.array;
  if (value instanceof Date) return Rank.date;
  if (value instanceof RegExp) return Rank.regex;
  switch (bsonClass(value)) {
    case undefined:
      return Rank.object;
    case 'ObjectId':
    case 'ObjectID':
      return Rank.objectId;
    case 'Binary':
      return Rank.binary;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return Rank.number;
    case 'Timestamp':
      return Rank.timestamp;
    case 'MinKey':
      return Rank.minKey;
    case 'MaxKey':
      return Rank.maxKey;
    case 'BSONRegExp':
      return Rank.regex;
    case 'BSONSymbol':
      return Rank.string;
    case 'Code':
    case 'DBPointer':
      return Rank.code;
    default:
      return Rank.object;
  }
}

/** The text of a string-ranked value (a string or a BSON symbol). */
export function stringValue(value: unknown): string {
  return typeof value === 'string' ? value : String((value as { value?: unknown }).value ?? value);
}

/** Pattern and flags of a regex-ranked value. */
export function regexParts(value: unknown): { pattern: string; flags: string } {
  if (value instanceof RegExp) return { pattern: value.source, flags: value.flags };
  const v = value as { pattern: string; options: string };
  return { pattern: v.pattern, flags: v.options };
}

/** Bytes and subtype of a Binary. */
export function binaryParts(value: unknown): { bytes: Uint8Array; subtype: number } {
  const v = value as { buffer: Uint8Array; position: number; sub_type: number };
  return { bytes: v.buffer.subarray(0, v.position), subtype: v.sub_type };
}

/** Seconds and increment of a Timestamp. */
export function timestampParts(value: unknown): { t: number; i: number } {
  const v = value as { t: number; i: number };
  return { t: v.t, i: v.i };
}

/** Own enumerable value of a field; never anything inherited from a prototype. */
export function own(doc: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(doc, key) ? doc[key] : undefined;
}

/** Sets a field as own data, so a `__proto__` key is stored as data and never changes a prototype. */
export function setOwn(doc: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(doc, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    doc[key] = value;
  }
}
