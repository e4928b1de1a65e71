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

/**
 * The top-level fields a read decodes, as the bytes of BSON element names (UTF-8, compared without decoding
 * anything); and, for a reply sent as stored, the fields whose elements it copies undecoded.
 */
export interface FieldNames {
  readonly decode: readonly Buffer[];
  readonly reply?: readonly Buffer[];
  /** Instead of `reply`: a reply of every stored element but these, in stored order (see {@link fieldNamesExcept}). */
  readonly replyExcept?: readonly Buffer[];
}

/** The UTF-8 bytes of field names, kept once made (never changed: they are only compared). */
const nameBuffers = new Map<string, Buffer>();
const MAX_NAME_BUFFERS = 10_000;

function nameBytes(name: string): Buffer {
  let bytes = nameBuffers.get(name);
  if (!bytes) {
    if (nameBuffers.size >= MAX_NAME_BUFFERS) nameBuffers.clear();
    bytes = Buffer.from(name, 'utf8');
    nameBuffers.set(name, bytes);
  }
  return bytes;
}

/**
 * Field names for {@link DocumentMap.get}: `names` are decoded; with `reply`, a read document also carries
 * the BSON of just those fields (`_id` first, then document order) under {@link REPLY_BYTES}.
 */
export function fieldNames(names: Iterable<string>, reply?: Iterable<string>): FieldNames {
  const bytes = (list: Iterable<string>) => [...new Set(list)].map(nameBytes);
  return reply === undefined ? { decode: bytes(names) } : { decode: bytes(names), reply: bytes(reply) };
}

/**
 * Field names for {@link DocumentMap.get}: `names` are decoded, and a read document also carries the BSON of
 * every stored element not named in `except`, in stored order, under {@link REPLY_BYTES}; a document with a
 * top-level field name a decoded object might not keep in stored order (one starting with a digit, which
 * JavaScript may put first) or that may decode as something else (one starting with `$`, as a DBRef's) is
 * decoded whole and carries none.
 */
export function fieldNamesExcept(names: Iterable<string>, except: Iterable<string>): FieldNames {
  return { decode: [...new Set(names)].map(nameBytes), replyExcept: [...new Set(except)].map(nameBytes) };
}

/** On a document read with reply fields: the BSON document of those fields, as stored. */
export const REPLY_BYTES = Symbol('replyBytes');

/** A document sent in a reply as BSON bytes already encoded (see `wire/messages.ts`). */
export class RawDocument {
  constructor(readonly bytes: Buffer) {}
}

/** The reply bytes a read attached to a document, if any. */
export function replyBytesOf(doc: Doc): Buffer | undefined {
  return (doc as { [REPLY_BYTES]?: Buffer })[REPLY_BYTES];
}

/** Whether the element name in `bytes[start, end)` is one of `names`. */
function named(bytes: Buffer, start: number, end: number, names: readonly Buffer[]): boolean {
  const length = end - start;
  next: for (const name of names) {
    if (name.length !== length) continue;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== name[i]) continue next;
    return true;
  }
  return false;
}

const ID_NAME = Buffer.from('_id');
const ID_NAMES = [ID_NAME];
const BSON_UNDEFINED = 0x06;
const BSON_NULL = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOLLAR = 0x24;

/** A BSON document of the elements at `ranges` (start, end pairs) of `bytes`, in the order given. */
function pack(bytes: Buffer, ranges: readonly number[], size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let offset = 4;
  for (let i = 0; i < ranges.length; i += 2) {
    // The deprecated undefined type is sent as null, as a decoded and re-encoded document would be.
    if (bytes[ranges[i]] === BSON_UNDEFINED) {
      out[offset] = BSON_NULL;
      offset += 1 + bytes.copy(out, offset + 1, ranges[i] + 1, ranges[i + 1]);
    } else {
      offset += bytes.copy(out, offset, ranges[i], ranges[i + 1]);
    }
  }
  out[offset] = 0;
  return out;
}

/**
 * Decodes only the top-level fields named of a BSON document, in document order: their elements are
 * copied into a smaller document, which is decoded (a copy, so binary values own their bytes). With reply
 * names (or all but some), the reply fields' elements are copied as they are into a document of their own,
 * attached to the decoded one, so a reply need neither decode nor encode them.
 */
function decodeFields(bytes: Buffer, fields: FieldNames): Doc {
  const { decode, reply, replyExcept } = fields;
  const kept: number[] = [];
  let size = 5;
  const replied: number[] = [];
  let replySize = 5;
  for (let at = 4; at < bytes.length - 1;) {
    const nameEnd = cstringEnd(bytes, at + 1);
    const end = valueEnd(bytes, bytes[at], nameEnd + 1);
    if (named(bytes, at + 1, nameEnd, decode)) {
      kept.push(at, end);
      size += end - at;
    }
    if (reply && named(bytes, at + 1, nameEnd, reply)) {
      // `_id` leads a reply, as projections put it.
      if (named(bytes, at + 1, nameEnd, [ID_NAME])) replied.unshift(at, end);
      else replied.push(at, end);
      replySize += end - at;
    } else if (replyExcept) {
      const first = bytes[at + 1];
      if ((first >= DIGIT_0 && first <= DIGIT_9) || first === DOLLAR) return decodeDocument(Buffer.from(bytes));
      if (!named(bytes, at + 1, nameEnd, replyExcept)) {
        // Adjacent elements are copied as one range; an undefined one starts its own (pack makes it null).
        const last = replied.length - 1;
        if (last > 0 && replied[last] === at && bytes[at] !== BSON_UNDEFINED) replied[last] = end;
        else replied.push(at, end);
        replySize += end - at;
      }
    }
    at = end;
  }
  const doc = decodeDocument(pack(bytes, kept, size));
  if (reply || replyExcept) Object.defineProperty(doc, REPLY_BYTES, { value: pack(bytes, replied, replySize) });
  return doc;
}

/** Where each top-level element of a BSON document starts, where its name ends and where it ends, in triples. */
function elementBounds(bytes: Buffer): number[] {
  const bounds: number[] = [];
  for (let at = 4; at < bytes.length - 1;) {
    const nameEnd = cstringEnd(bytes, at + 1);
    const end = valueEnd(bytes, bytes[at], nameEnd + 1);
    bounds.push(at, nameEnd, end);
    at = end;
  }
  return bounds;
}

/** The first element of `bounds` (from {@link elementBounds}) named as `bytes[start, end)` is, or -1. */
function elementNamed(encoded: Buffer, bounds: readonly number[], bytes: Buffer, start: number, end: number): number {
  const length = end - start;
  next: for (let i = 0; i < bounds.length; i += 3) {
    const name = bounds[i] + 1;
    if (bounds[i + 1] - name !== length) continue;
    for (let k = 0; k < length; k++) if (encoded[name + k] !== bytes[start + k]) continue next;
    return i;
  }
  return -1;
}

/**
 * The BSON of a stored document after an update that could change only the `touched` fields (their names'
 * bytes, from {@link fieldNames}), of which `next` holds the new values (and no others): `_id` first, then
 * the stored elements in their order, a touched one as `next` has it (dropped when `next` lacks it) and any
 * other copied as it is, then the fields `next` adds, in its order: what encoding the whole updated
 * document gives, without decoding the fields the update left alone.
 */
export function mergeUpdated(stored: Buffer, next: Doc, touched: readonly Buffer[]): Buffer {
  const encoded = encodeDocument(next);
  const nextBounds = elementBounds(encoded);
  const placed = new Uint8Array(nextBounds.length / 3);
  // Ranges to copy, as (from the stored document?, start, end); adjacent stored elements make one range.
  const parts: number[] = [];
  const take = (fromStored: number, start: number, end: number) => {
    const last = parts.length - 3;
    if (fromStored && last >= 0 && parts[last] === 1 && parts[last + 2] === start) parts[last + 2] = end;
    else parts.push(fromStored, start, end);
  };
  const id = elementNamed(encoded, nextBounds, ID_NAME, 0, ID_NAME.length);
  if (id >= 0) {
    take(0, nextBounds[id], nextBounds[id + 2]);
    placed[id / 3] = 1;
  }
  for (let at = 4; at < stored.length - 1;) {
    const nameEnd = cstringEnd(stored, at + 1);
    const end = valueEnd(stored, stored[at], nameEnd + 1);
    if (named(stored, at + 1, nameEnd, ID_NAMES)) {
      // Placed first, from `next`.
    } else if (!named(stored, at + 1, nameEnd, touched)) {
      take(1, at, end);
    } else {
      const element = elementNamed(encoded, nextBounds, stored, at + 1, nameEnd);
      if (element >= 0) {
        take(0, nextBounds[element], nextBounds[element + 2]);
        placed[element / 3] = 1;
      }
    }
    at = end;
  }
  for (let i = 0; i < nextBounds.length; i += 3) if (!placed[i / 3]) take(0, nextBounds[i], nextBounds[i + 2]);
  let size = 5;
  for (let i = 0; i < parts.length; i += 3) size += parts[i + 2] - parts[i + 1];
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let at = 4;
  for (let i = 0; i < parts.length; i += 3) {
    at += (parts[i] ? stored : encoded).copy(out, at, parts[i + 1], parts[i + 2]);
  }
  out[at] = 0;
  return out;
}

/**
 * Slab sizes: a collection's first slab is small and each next one twice the last, up to the largest,
 * so a small collection holds little memory and a large one few slabs; a larger document gets its own.
 */
const FIRST_SLAB_BYTES = 64 * 1024;
const SLAB_BYTES = 4 * 1024 * 1024;
/** Each stored version is its slot number (int32) then its BSON bytes. */
const SLOT_HEADER = 4;

/**
 * The documents of one collection by `_id` key, in insertion order (natural order), each kept as its
 * BSON bytes in large off-heap slabs (Buffers). The collector then neither copies a document's bytes out
 * of the young generation nor marks an object per document: the heap holds one small number per
 * document (its slot) and one Buffer per few MB, however large the store, where a decoded document is a
 * dozen or more objects and even one string per document is millions of objects to promote and mark.
 *
 * Slabs are appended to; a changed document's new version goes at the end of the newest slab and its
 * old bytes become garbage. A slab at least half garbage has its live documents moved to the newest slab
 * and is released, so the slabs hold at most about twice the live bytes, and moving costs no more than
 * the writes that made the garbage. Reads decode a fresh copy, so a caller may change what it gets
 * without changing the store; iteration is live, as a Map's is (inserts and deletes during a walk are safe).
 */
export class DocumentMap {
  /** `_id` key to slot; a slot's version lives at `offsets[slot]` in `slabs[slabOf[slot]]`. */
  private readonly slots = new Map<string, number>();
  private slabOf = new Int32Array(1024);
  private offsets = new Int32Array(1024);
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private readonly slabs: Array<Buffer | null> = [];
  /** Per slab: bytes written, and bytes of versions no longer current. */
  private readonly filled: number[] = [];
  private readonly garbage: number[] = [];
  private readonly freeSlabs: number[] = [];
  /** The slab written to, or -1 before the first write. */
  private current = -1;
  private slabBytes = FIRST_SLAB_BYTES;

  get size(): number {
    return this.slots.size;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** A stored document, or only its `fields` (from {@link fieldNames}) when given. */
  get(id: string, fields?: FieldNames): Doc | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.decode(slot, fields);
  }

  /** A copy of the stored BSON bytes of a document. */
  bytes(id: string): Buffer | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : Buffer.from(this.view(slot));
  }

  /**
   * The stored BSON bytes of a document in place, not a copy: to be read before the map is next written to
   * (a write may move or release them).
   */
  storedBytes(id: string): Buffer | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.view(slot);
  }

  /** The size of a stored document's BSON bytes. */
  byteLength(id: string): number | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.lengthOf(slot);
  }

  /** The BSON size of every stored document. */
  *byteLengths(): IterableIterator<number> {
    for (const slot of this.slots.values()) yield this.lengthOf(slot);
  }

  /** Stores `doc` under `id`; `bytes`, when given, are its BSON encoding (computed otherwise). */
  set(id: string, doc: Doc, bytes: Buffer = encodeDocument(doc)): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.newSlot();
      this.slots.set(id, slot);
    } else {
      this.release(slot);
    }
    this.write(slot, bytes);
  }

  delete(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    this.slots.delete(id);
    this.release(slot);
    this.freeSlots.push(slot);
    return true;
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** Every stored document, or only its `fields` (from {@link fieldNames}) when given. */
  *values(fields?: FieldNames): IterableIterator<Doc> {
    for (const slot of this.slots.values()) yield this.decode(slot, fields);
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const [id, slot] of this.slots) yield [id, this.decode(slot, undefined)];
  }

  /** Every document's id and a copy of its BSON bytes, without decoding (snapshots write these as they are). */
  *encodedEntries(): IterableIterator<[string, Buffer]> {
    for (const [id, slot] of this.slots) yield [id, Buffer.from(this.view(slot))];
  }

  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }

  /** The stored bytes in place: valid only until the next write (a slab may be moved and released). */
  private view(slot: number): Buffer {
    const slab = this.slabs[this.slabOf[slot]]!;
    const at = this.offsets[slot];
    return slab.subarray(at, at + slab.readInt32LE(at));
  }

  private lengthOf(slot: number): number {
    return this.slabs[this.slabOf[slot]]!.readInt32LE(this.offsets[slot]);
  }

  private decode(slot: number, fields: FieldNames | undefined): Doc {
    // decodeFields copies what it decodes; a whole document is copied first (binary values are views).
    return fields ? decodeFields(this.view(slot), fields) : decodeDocument(Buffer.from(this.view(slot)));
  }

  private newSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.nextSlot === this.offsets.length) {
      const grow = (from: Int32Array) => {
        const to = new Int32Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.slabOf = grow(this.slabOf);
      this.offsets = grow(this.offsets);
    }
    return this.nextSlot++;
  }

  /** Appends `bytes` as the current version of `slot`. */
  private write(slot: number, bytes: Buffer): void {
    const need = SLOT_HEADER + bytes.length;
    // Opening a slab may move another one's documents into it first, so the room is checked again.
    while (this.current < 0 || this.filled[this.current] + need > this.slabs[this.current]!.length) this.openSlab(need);
    const slab = this.slabs[this.current]!;
    const at = this.filled[this.current];
    slab.writeInt32LE(slot, at);
    bytes.copy(slab, at + SLOT_HEADER);
    this.slabOf[slot] = this.current;
    this.offsets[slot] = at + SLOT_HEADER;
    this.filled[this.current] = at + need;
  }

  /**
   * Marks the current version of `slot` as garbage and leaves the slot without one (until it is written);
   * a slab that is mostly garbage is compacted away.
   */
  private release(slot: number): void {
    const s = this.slabOf[slot];
    this.garbage[s] += SLOT_HEADER + this.lengthOf(slot);
    this.slabOf[slot] = -1;
    if (s !== this.current && this.garbage[s] * 2 >= this.filled[s]) this.compact(s);
  }

  private openSlab(need: number): void {
    const closed = this.current;
    const s = this.freeSlabs.pop() ?? this.slabs.length;
    this.slabs[s] = Buffer.allocUnsafeSlow(Math.max(this.slabBytes, need));
    this.slabBytes = Math.min(SLAB_BYTES, this.slabBytes * 2);
    this.filled[s] = 0;
    this.garbage[s] = 0;
    this.current = s;
    if (closed >= 0 && this.garbage[closed] * 2 >= this.filled[closed]) this.compact(closed);
  }

  /** Moves the live versions of slab `s` to the current slab and releases `s`. */
  private compact(s: number): void {
    const slab = this.slabs[s]!;
    const end = this.filled[s];
    for (let at = 0; at < end;) {
      const slot = slab.readInt32LE(at);
      const start = at + SLOT_HEADER;
      const length = slab.readInt32LE(start);
      const live = this.slabOf[slot] === s && this.offsets[slot] === start;
      if (live) this.write(slot, slab.subarray(start, start + length));
      at = start + length;
    }
    this.slabs[s] = null;
    this.freeSlabs.push(s);
  }
}
