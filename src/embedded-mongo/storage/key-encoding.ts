import { ObjectId } from 'bson';
import {
  binaryParts,
  bsonClass,
  isPlainObject,
  numericValue,
  regexParts,
  stringValue,
  timestampParts,
} from './bson-values';

export { isPlainObject } from './bson-values';

/**
 * Order-preserving string encoding of BSON values. Plain string comparison of two encodings follows
 * MongoDB's order (the same order as compareBson: MinKey < null < numbers < strings < objects <
 * arrays < binary < ObjectId < booleans < dates < timestamps < regexes < code < MaxKey), so sorted
 * index structures can answer range queries. Every encoding is prefix-free, which lets compound
 * keys be plain concatenations.
 */
export const TypeTag = {
  minKey: '0',
  nullish: '1',
  number: '2',
  string: '3',
  object: '4',
  array: '5',
  binary: '6',
  objectId: '7',
  boolean: '8',
  date: '9',
  timestamp: 'a',
  regex: 'b',
  code: 'c',
  maxKey: 'z',
} as const;

/** Sorts after every character an encoding can contain; used as an open upper bound. */
export const KEY_MAX_SUFFIX = '\uffff';
const STRING_END = '\u0000\u0000';
const scratch = Buffer.alloc(8);
const TWO_53 = 2 ** 53;

/** Maps each string to its collation key before encoding; absent means binary order. */
export type StringKey = (value: string) => string;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function encodeDouble(value: number): string {
  if (Number.isNaN(value)) return '0000000000000000';
  scratch.writeDoubleBE(value === 0 ? 0 : value);
  // Flip so that byte order equals numeric order: negatives invert fully, positives flip the sign bit.
  if (scratch[0] & 0x80) {
    for (let i = 0; i < 8; i++) scratch[i] = ~scratch[i] & 0xff;
  } else {
    scratch[0] |= 0x80;
  }
  let hex = '';
  for (let i = 0; i < 8; i++) hex += HEX[scratch[i]];
  return hex;
}

/**
 * A number as its double's order-preserving bytes plus three hex digits for what an int64 beyond
 * 2^53 loses in the double (at most ±1024), so distinct 64-bit integers keep distinct, ordered keys.
 */
function encodeNumber(value: number | bigint): string {
  if (typeof value === 'number') return TypeTag.number + encodeDouble(value) + '800';
  const approx = Number(value);
  const rest = approx >= TWO_53 || approx <= -TWO_53 ? Number(value - BigInt(approx)) : 0;
  return TypeTag.number + encodeDouble(approx) + (rest + 2048).toString(16).padStart(3, '0');
}

function encodeString(tag: string, value: string): string {
  // \u0000 is escaped so the two-character terminator sorts below any continuation of the string.
  const escaped = value.includes('\u0000') ? value.split('\u0000').join('\u0000\u00ff') : value;
  return tag + escaped + STRING_END;
}

function encodeBson(type: string, value: object, strings?: StringKey): string {
  switch (type) {
    case 'ObjectId':
    case 'ObjectID':
      // The lowercase hex of its 12 bytes; bson's own ObjectId gives it without copying them out first.
      if (value instanceof ObjectId) return TypeTag.objectId + value.toHexString();
      return TypeTag.objectId + Buffer.from((value as { id: Uint8Array }).id).toString('hex');
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return encodeNumber(numericValue(value)!);
    case 'Binary': {
      // Length first, then subtype, then bytes: MongoDB's order for binary data.
      const { bytes, subtype } = binaryParts(value);
      const head = bytes.length.toString(16).padStart(8, '0') + subtype.toString(16).padStart(2, '0');
      return TypeTag.binary + head + Buffer.from(bytes).toString('hex');
    }
    case 'Timestamp': {
      const { t, i } = timestampParts(value);
      return TypeTag.timestamp + t.toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0');
    }
    case 'MinKey':
      return TypeTag.minKey;
    case 'MaxKey':
      return TypeTag.maxKey;
    case 'BSONRegExp': {
      const { pattern, flags } = regexParts(value);
      return encodeString(TypeTag.regex, pattern) + encodeString('', flags);
    }
    case 'BSONSymbol':
      return encodeString(TypeTag.string, maybeKey(stringValue(value), strings));
    case 'Code':
    case 'DBPointer':
      return encodeString(TypeTag.code, String((value as { code?: unknown }).code ?? value));
    default:
      return encodeComposite(value, strings);
  }
}

function maybeKey(value: string, strings?: StringKey): string {
  return strings ? strings(value) : value;
}

function encodeComposite(value: object, strings?: StringKey): string {
  if (Array.isArray(value)) return encodeString(TypeTag.array, value.map((v) => encodeValue(v, strings)).join(''));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    // The value's type tag, then the field name, then the rest of the value (MongoDB's element order).
    const encoded = encodeValue(v, strings);
    parts.push(encoded[0], encodeString('', k), encoded.slice(1));
  }
  return encodeString(TypeTag.object, parts.join(''));
}

/** Encodes one value; missing (undefined) and null share a key, as in MongoDB indexes. */
export function encodeValue(value: unknown, strings?: StringKey): string {
  switch (typeof value) {
    case 'undefined':
      return TypeTag.nullish;
    case 'number':
    case 'bigint':
      return encodeNumber(value);
    case 'string':
      return encodeString(TypeTag.string, maybeKey(value, strings));
    case 'boolean':
      return TypeTag.boolean + (value ? '1' : '0');
    case 'object': {
      if (value === null) return TypeTag.nullish;
      if (value instanceof Date) return TypeTag.date + encodeDouble(value.getTime());
      if (value instanceof RegExp) return encodeString(TypeTag.regex, value.source) + encodeString('', value.flags);
      if (isPlainObject(value) || Array.isArray(value)) return encodeComposite(value, strings);
      return encodeBson(bsonClass(value) ?? '', value, strings);
    }
    case 'function':
    case 'symbol':
      return encodeString(TypeTag.code, String(value));
  }
}

/** An empty array's key in indexes and sorts: below null and missing, as MongoDB indexes it (undefined). */
export const EMPTY_ARRAY_KEY = TypeTag.minKey + '~';

/** The key a value reached by an index or sort path contributes (an empty array is special). */
export function encodeKeyValue(value: unknown, strings?: StringKey): string {
  return Array.isArray(value) && value.length === 0 ? EMPTY_ARRAY_KEY : encodeValue(value, strings);
}
