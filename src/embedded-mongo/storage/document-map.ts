import { deserialize, serialize } from 'bson';
import { BSON_READ_OPTIONS } from './bson-values';
import { Doc } from './documents';

/** A document's BSON bytes, as the store keeps them and as the journal and snapshots write them. */
export function encodeDocument(doc: Doc): Buffer {
  const bytes = serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A fresh copy of a stored document (binary values are views of a buffer of their own). */
export function decodeDocument(bytes: Buffer): Doc {
  return deserialize(bytes, BSON_READ_OPTIONS);
}

/** Where the cstring starting at `at` ends (its terminating zero). */
function cstringEnd(bytes: Buffer, at: number): number {
  while (bytes[at] !== 0) at++;
  return at;
}

/** Where a BSON element's value that starts at `at` ends, by its type. */
function valueEnd(bytes: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return at + 8;
    case 0x02: // string
    case 0x0d: // code
    case 0x0e: // symbol
      return at + 4 + bytes.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return at + bytes.readInt32LE(at);
    case 0x05: // binary: length, subtype, bytes
      return at + 5 + bytes.readInt32LE(at);
    case 0x07: // ObjectId
      return at + 12;
    case 0x08: // boolean
      return at + 1;
    case 0x0b: // regex: two cstrings
      return cstringEnd(bytes, cstringEnd(bytes, at) + 1) + 1;
    case 0x0c: // DBPointer: string, ObjectId
      return at + 4 + bytes.readInt32LE(at) + 12;
    case 0x10: // int32
      return at + 4;
    case 0x13: // decimal128
      return at + 16;
    default: // undefined, null, MinKey, MaxKey
      return at;
  }
}

/** Top-level field names as the bytes of BSON element names (UTF-8), compared without decoding anything. */
export type FieldNames = readonly Buffer[];

export function fieldNames(names: Iterable<string>): FieldNames {
  return [...new Set(names)].map((name) => Buffer.from(name, 'utf8'));
}

/** Whether the element name in `bytes[start, end)` is one of `names`. */
function named(bytes: Buffer, start: number, end: number, names: FieldNames): boolean {
  const length = end - start;
  next: for (const name of names) {
    if (name.length !== length) continue;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== name[i]) continue next;
    return true;
  }
  return false;
}

/**
 * Decodes only the top-level fields named of a BSON document, in document order: their elements are
 * copied into a smaller document, which is decoded (a copy, so binary values own their bytes).
 */
function decodeFields(bytes: Buffer, names: FieldNames): Doc {
  const kept: number[] = [];
  let size = 5;
  for (let at = 4; at < bytes.length - 1;) {
    const nameEnd = cstringEnd(bytes, at + 1);
    const end = valueEnd(bytes, bytes[at], nameEnd + 1);
    if (named(bytes, at + 1, nameEnd, names)) {
      kept.push(at, end);
      size += end - at;
    }
    at = end;
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let offset = 4;
  for (let i = 0; i < kept.length; i += 2) offset += bytes.copy(out, offset, kept[i], kept[i + 1]);
  out[offset] = 0;
  return decodeDocument(out);
}

function decode(stored: string, fields: FieldNames | undefined): Doc {
  const bytes = Buffer.from(stored, 'latin1');
  return fields ? decodeFields(bytes, fields) : decodeDocument(bytes);
}

/**
 * The documents of one collection by `_id` key, in insertion order (natural order), each kept as its
 * BSON bytes in a one-byte string. A string is one heap object without references, which the garbage
 * collector marks without walking into, where a decoded document is a dozen or more objects (fields,
 * arrays, dates, sub-documents) that every full collection traces: on a large store most of the
 * collector's work. Reads decode a fresh copy, so a caller may change what it gets without changing
 * the store; iteration is live, as a Map's is (inserts and deletes during a walk are safe).
 */
export class DocumentMap {
  private readonly stored = new Map<string, string>();

  get size(): number {
    return this.stored.size;
  }

  has(id: string): boolean {
    return this.stored.has(id);
  }

  /** A stored document, or only its `fields` (from {@link fieldNames}) when given. */
  get(id: string, fields?: FieldNames): Doc | undefined {
    const bytes = this.stored.get(id);
    return bytes === undefined ? undefined : decode(bytes, fields);
  }

  /** The stored BSON bytes of a document. */
  bytes(id: string): Buffer | undefined {
    const bytes = this.stored.get(id);
    return bytes === undefined ? undefined : Buffer.from(bytes, 'latin1');
  }

  /** The size of a stored document's BSON bytes. */
  byteLength(id: string): number | undefined {
    return this.stored.get(id)?.length;
  }

  /** The BSON size of every stored document. */
  *byteLengths(): IterableIterator<number> {
    for (const bytes of this.stored.values()) yield bytes.length;
  }

  /** Stores `doc` under `id`; `bytes`, when given, are its BSON encoding (computed otherwise). */
  set(id: string, doc: Doc, bytes: Buffer = encodeDocument(doc)): void {
    this.stored.set(id, bytes.toString('latin1'));
  }

  delete(id: string): boolean {
    return this.stored.delete(id);
  }

  keys(): IterableIterator<string> {
    return this.stored.keys();
  }

  /** Every stored document, or only its `fields` (from {@link fieldNames}) when given. */
  *values(fields?: FieldNames): IterableIterator<Doc> {
    for (const bytes of this.stored.values()) yield decode(bytes, fields);
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const [id, bytes] of this.stored) yield [id, decode(bytes, undefined)];
  }

  /** Every document's id and BSON bytes, without decoding (snapshots write these as they are). */
  *encodedEntries(): IterableIterator<[string, Buffer]> {
    for (const [id, bytes] of this.stored) yield [id, Buffer.from(bytes, 'latin1')];
  }

  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }
}
