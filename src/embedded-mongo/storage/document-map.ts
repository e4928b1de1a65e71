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

  get(id: string): Doc | undefined {
    const bytes = this.stored.get(id);
    return bytes === undefined ? undefined : decodeDocument(Buffer.from(bytes, 'latin1'));
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

  *values(): IterableIterator<Doc> {
    for (const bytes of this.stored.values()) yield decodeDocument(Buffer.from(bytes, 'latin1'));
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const [id, bytes] of this.stored) yield [id, decodeDocument(Buffer.from(bytes, 'latin1'))];
  }

  /** Every document's id and BSON bytes, without decoding (snapshots write these as they are). */
  *encodedEntries(): IterableIterator<[string, Buffer]> {
    for (const [id, bytes] of this.stored) yield [id, Buffer.from(bytes, 'latin1')];
  }

  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }
}
