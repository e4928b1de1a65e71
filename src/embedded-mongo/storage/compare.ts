import {
  Rank,
  binaryParts,
  bsonClass,
  numericValue,
  rankOf,
  regexParts,
  stringValue,
  timestampParts,
  typeCode,
} from './bson-values';

/** Compares two strings under a collation (ICU through Intl.Collator); absent means binary order. */
export type StringCompare = (a: string, b: string) => number;

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareNumbers(a: unknown, b: unknown): number {
  const x = numericValue(a)!;
  const y = numericValue(b)!;
  const xNaN = typeof x === 'number' && Number.isNaN(x);
  const yNaN = typeof y === 'number' && Number.isNaN(y);
  // NaN equals NaN and sorts below every other number, as in MongoDB.
  if (xNaN || yNaN) return xNaN && yNaN ? 0 : xNaN ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return sign(Buffer.compare(a, b));
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>, strings?: StringCompare): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    // Element by element: the value's type first, then the field name, then the value.
    const ra = rankOf(a[ka[i]]);
    const rb = rankOf(b[kb[i]]);
    if (ra !== rb) return ra < rb ? -1 : 1;
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const c = compareBson(a[ka[i]], b[kb[i]], strings);
    if (c !== 0) return c;
  }
  return sign(ka.length - kb.length);
}

function compareArrays(a: unknown[], b: unknown[], strings?: StringCompare): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareBson(a[i], b[i], strings);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

/**
 * MongoDB's order of two values: canonical type first (MinKey < null < numbers < strings < objects
 * < arrays < binary < ObjectId < booleans < dates < timestamps < regexes < code < MaxKey), then the
 * value. Numbers compare exactly across int32, int64 and double. `strings` applies a collation.
 */
export function compareBson(a: unknown, b: unknown, strings?: StringCompare): number {
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case Rank.number:
      return compareNumbers(a, b);
    case Rank.string: {
      const x = stringValue(a);
      const y = stringValue(b);
      if (strings) return sign(strings(x, y));
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case Rank.object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>, strings);
    case Rank.array:
      return compareArrays(a as unknown[], b as unknown[], strings);
    case Rank.binary: {
      // Length first, then subtype, then the bytes.
      const x = binaryParts(a);
      const y = binaryParts(b);
      if (x.bytes.length !== y.bytes.length) return sign(x.bytes.length - y.bytes.length);
      if (x.subtype !== y.subtype) return sign(x.subtype - y.subtype);
      return compareBytes(x.bytes, y.bytes);
    }
    case Rank.objectId:
      return compareBytes((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id);
    case Rank.boolean:
      return sign(Number(a) - Number(b));
    case Rank.date:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case Rank.timestamp: {
      const x = timestampParts(a);
      const y = timestampParts(b);
      return x.t !== y.t ? sign(x.t - y.t) : sign(x.i - y.i);
    }
    case Rank.regex: {
      const x = regexParts(a);
      const y = regexParts(b);
      if (x.pattern !== y.pattern) return x.pattern < y.pattern ? -1 : 1;
      return x.flags < y.flags ? -1 : x.flags > y.flags ? 1 : 0;
    }
    case Rank.code: {
      const x = String((a as { code?: unknown }).code ?? a);
      const y = String((b as { code?: unknown }).code ?? b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return 0; // MinKey, MaxKey, null and missing: one value each
  }
}

/**
 * The order aggregation expressions compare in ($eq, $cmp, $gt, $max, ...): BSON order, where a
 * missing value is a value of its own, below null and equal only to another missing value.
 */
export function compareExpressionValues(a: unknown, b: unknown, strings?: StringCompare): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareBson(a, b, strings);
}

/** BSON equality under MongoDB's rules (1, 1n and 1.0 are equal; field order matters). */
export function bsonEqual(a: unknown, b: unknown, strings?: StringCompare): boolean {
  return compareBson(a, b, strings) === 0;
}

/**
 * Whether two values would serialize to identical BSON: same types, same values, same field order.
 * An update that leaves a document identical did not modify it.
 */
export function bsonIdentical(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (a === b) return true;
  if (typeCode(a) !== typeCode(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => bsonIdentical(v, y[i]));
  }
  if (bsonClass(a) === undefined && !(a instanceof Date) && !(a instanceof RegExp) && a && typeof a === 'object') {
    const ka = Object.keys(a);
    const y = b as Record<string, unknown>;
    const kb = Object.keys(y);
    if (ka.length !== kb.length) return false;
    return ka.every((k, i) => k === kb[i] && bsonIdentical((a as Record<string, unknown>)[k], y[k]));
  }
  if (bsonClass(a) === 'Decimal128') return String(a) === String(b);
  if (bsonClass(a) === 'Code') return String((a as { code: unknown }).code) === String((b as { code: unknown }).code);
  return compareBson(a, b) === 0;
}

/**
 * Values as a set under BSON equality (1, 1.0 and Decimal128("1") are one value; sub-documents are equal
 * field by field in order; strings under a collation). Sorted once, so a lookup is a binary search.
 */
export class ValueSet {
  /** The distinct values in BSON order, each the first of its equals in the input. */
  private readonly sorted: unknown[];
  /** The distinct values in the order of their first occurrence. */
  readonly values: unknown[];

  constructor(
    input: readonly unknown[],
    private readonly strings?: StringCompare,
  ) {
    const order = input.map((_, i) => i);
    order.sort((i, j) => compareBson(input[i], input[j], strings) || i - j);
    const firsts: number[] = [];
    for (const i of order) {
      if (firsts.length === 0 || compareBson(input[firsts[firsts.length - 1]], input[i], strings) !== 0) firsts.push(i);
    }
    this.sorted = firsts.map((i) => input[i]);
    this.values = firsts.sort((i, j) => i - j).map((i) => input[i]);
  }

  has(value: unknown): boolean {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareBson(this.sorted[mid], value, this.strings);
      if (c === 0) return true;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  get size(): number {
    return this.sorted.length;
  }
}
