/**
 * Order-preserving string encoding of BSON values. Plain string comparison of two encodings follows
 * MongoDB's cross-type order (MinKey < null < numbers < strings < objects < arrays < binary < ObjectId
 * < booleans < dates < timestamps < regexes < MaxKey), so sorted index structures can answer range
 * queries. Every encoding is prefix-free, which lets compound keys be plain concatenations.
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
  maxKey: 'z',
} as const;

/** Sorts after every character an encoding can contain; used as an open upper bound. */
export const KEY_MAX_SUFFIX = '\uffff';
const STRING_END = '\u0000\u0000';
const scratch = Buffer.alloc(8);

function encodeNumber(value: number): string {
  if (Number.isNaN(value)) return TypeTag.number + '0000000000000000';
  scratch.writeDoubleBE(value === 0 ? 0 : value);
  // Flip so that byte order equals numeric order: negatives invert fully, positives flip the sign bit.
  if (scratch[0] & 0x80) {
    for (let i = 0; i < 8; i++) scratch[i] = ~scratch[i] & 0xff;
  } else {
    scratch[0] |= 0x80;
  }
  return TypeTag.number + scratch.toString('hex');
}

function encodeString(tag: string, value: string): string {
  // \u0000 is escaped so the two-character terminator sorts below any continuation of the string.
  const escaped = value.includes('\u0000') ? value.split('\u0000').join('\u0000\u00ff') : value;
  return tag + escaped + STRING_END;
}

function bsonType(value: object): string | undefined {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

function encodeBson(type: string, value: object): string {
  const v = value as Record<string, (...args: unknown[]) => unknown>;
  switch (type) {
    case 'ObjectId':
    case 'ObjectID':
      return TypeTag.objectId + String(v.toHexString());
    case 'Long':
    case 'Int32':
    case 'Double':
      return encodeNumber(Number(v.toString()));
    case 'Decimal128':
      return encodeNumber(Number.parseFloat(String(v.toString())));
    case 'Binary': {
      const bytes = v.value() as Uint8Array;
      const length = bytes.length.toString(16).padStart(8, '0');
      return TypeTag.binary + length + Buffer.from(bytes).toString('hex') + STRING_END;
    }
    case 'Timestamp':
      return TypeTag.timestamp + BigInt(String(v.toString())).toString(16).padStart(16, '0');
    case 'MinKey':
      return TypeTag.minKey;
    case 'MaxKey':
      return TypeTag.maxKey;
    case 'BSONRegExp':
      return encodeString(
        TypeTag.regex,
        `${String(value['pattern' as keyof object])}/${String(value['options' as keyof object])}`,
      );
    default:
      return encodeString(TypeTag.object, `${type}:${String(v.toString())}`);
  }
}

function encodeComposite(value: object): string {
  if (Array.isArray(value)) return encodeString(TypeTag.array, value.map(encodeValue).join(''));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(encodeString('', k), encodeValue(v));
  return encodeString(TypeTag.object, parts.join(''));
}

/** Encodes one value; missing (undefined) and null share a key, as in MongoDB indexes. */
export function encodeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return TypeTag.nullish;
    case 'number':
      return encodeNumber(value);
    case 'bigint':
      return encodeNumber(Number(value));
    case 'string':
      return encodeString(TypeTag.string, value);
    case 'boolean':
      return TypeTag.boolean + (value ? '1' : '0');
    case 'object': {
      if (value === null) return TypeTag.nullish;
      if (value instanceof Date) return TypeTag.date + encodeNumber(value.getTime()).slice(1);
      if (value instanceof RegExp) return encodeString(TypeTag.regex, `${value.source}/${value.flags}`);
      const type = bsonType(value);
      return type ? encodeBson(type, value) : encodeComposite(value);
    }
    case 'function':
    case 'symbol':
      return encodeString(TypeTag.object, String(value));
  }
}

/** True for values that are leaves for path traversal (not plain sub-documents). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp || bsonType(value) !== undefined) return false;
  return true;
}
