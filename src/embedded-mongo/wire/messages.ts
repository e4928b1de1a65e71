import { deserialize, serialize } from 'bson';
import { Doc } from '../storage/documents';
import { BSON_READ_OPTIONS, isPlainObject } from '../storage/bson-values';
import { RawDocument } from '../storage/document-map';
import { crc32c } from './crc32c';
import { HEADER_SIZE, ProtocolError } from './frame-decoder';

export const OpCode = { reply: 1, query: 2004, compressed: 2012, msg: 2013 } as const;

const FLAG_CHECKSUM = 1;
const FLAG_MORE_TO_COME = 2;
const KNOWN_FLAGS = FLAG_CHECKSUM | FLAG_MORE_TO_COME | (1 << 16);

export interface CommandMessage {
  body: Doc;
  /** The client expects no reply (fire-and-forget, e.g. endSessions). */
  moreToCome: boolean;
  /** Largest single BSON document in the message; used for the 16 MiB document limit. */
  largestDocument: number;
}

function readDocument(buffer: Buffer, offset: number, end: number): { doc: Doc; size: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError('BSON document length out of bounds');
  try {
    return { doc: deserialize(buffer.subarray(offset, offset + size), BSON_READ_OPTIONS), size };
  } catch (error) {
    throw new ProtocolError(`invalid BSON: ${(error as Error).message}`);
  }
}

function readCString(buffer: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buffer.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring');
  return { value: buffer.toString('utf8', offset, zero), next: zero + 1 };
}

/**
 * Parses OP_MSG: one kind-0 body plus kind-1 document sequences merged in as arrays. A checksum,
 * when present, must match (CRC-32C of the whole message); a mismatch closes the connection, as in MongoDB.
 */
export function parseOpMsg(payload: Buffer, message?: Buffer): CommandMessage {
  if (payload.length < 5) throw new ProtocolError('OP_MSG too short');
  const flags = payload.readUInt32LE(0);
  if (flags & ~KNOWN_FLAGS & 0xffff) throw new ProtocolError(`unknown required OP_MSG flag bits ${flags}`);
  if (flags & FLAG_CHECKSUM) {
    if (payload.length < 9) throw new ProtocolError('OP_MSG too short for its checksum');
    if (message && crc32c(message.subarray(0, message.length - 4)) !== message.readUInt32LE(message.length - 4)) {
      throw new ProtocolError('OP_MSG checksum does not match contents');
    }
  }
  const end = flags & FLAG_CHECKSUM ? payload.length - 4 : payload.length;
  let offset = 4;
  let body: Doc | undefined;
  let largestDocument = 0;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = payload[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with two bodies');
      const { doc, size } = readDocument(payload, offset, end);
      body = doc;
      largestDocument = Math.max(largestDocument, size);
      offset += size;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const sectionEnd = offset + payload.readInt32LE(offset);
      if (sectionEnd <= offset + 4 || sectionEnd > end) {
        throw new ProtocolError('document sequence length out of bounds');
      }
      const id = readCString(payload, offset + 4, sectionEnd);
      const docs: Doc[] = [];
      for (let at = id.next; at < sectionEnd;) {
        const { doc, size } = readDocument(payload, at, sectionEnd);
        docs.push(doc);
        largestDocument = Math.max(largestDocument, size);
        at += size;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body');
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return { body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, largestDocument };
}

/** Parses a legacy OP_QUERY, which drivers still use for the first handshake on each connection. */
export function parseOpQuery(payload: Buffer): { namespace: string; query: Doc } {
  if (payload.length < 4) throw new ProtocolError('OP_QUERY too short');
  const ns = readCString(payload, 4, payload.length);
  const { doc } = readDocument(payload, ns.next + 8, payload.length);
  const query = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Doc) : doc;
  return { namespace: ns.value, query };
}

function writeHeader(out: Buffer, length: number, requestId: number, responseTo: number, opCode: number): void {
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_SIZE);
  writeHeader(head, length, requestId, responseTo, opCode);
  return head;
}

/** A BSON element's type byte and name, ahead of its value. */
function elementHead(type: number, name: string): Buffer {
  const head = Buffer.allocUnsafe(2 + Buffer.byteLength(name));
  head[0] = type;
  head.write(name, 1, 'utf8');
  head[head.length - 1] = 0;
  return head;
}

/** The heads of a batch's first documents (`0`, `1`, ... as embedded documents), made once: only ever copied. */
const DOCUMENT_HEADS = Array.from({ length: 1024 }, (_, i) => elementHead(0x03, String(i)));
const TERMINATOR = Buffer.from([0]);

/**
 * Whether a value holds documents already encoded within `levels` levels (a reply holds them three levels
 * down: `cursor.firstBatch[i]`).
 */
function holdsRaw(value: unknown, levels = 3): boolean {
  if (value instanceof RawDocument) return true;
  if (levels === 0) return false;
  if (Array.isArray(value)) return value.some((v) => holdsRaw(v, levels - 1));
  if (isPlainObject(value)) return Object.values(value).some((v) => holdsRaw(v, levels - 1));
  return false;
}

/**
 * Adds the pieces of a document (or array) whose values may be (or hold) {@link RawDocument}s to `parts`:
 * its length, its elements (a raw document's bytes as they are) and its terminator; returns its size.
 */
function addEncoded(doc: Doc | unknown[], parts: Buffer[]): number {
  const length = Buffer.allocUnsafe(4);
  parts.push(length);
  let size = 5;
  // `index` is the position of an array's element, whose name it is.
  const add = (name: string, value: unknown, index: number) => {
    if (value instanceof RawDocument) {
      const head = (index >= 0 && DOCUMENT_HEADS[index]) || elementHead(0x03, name);
      parts.push(head, value.bytes);
      size += head.length + value.bytes.length;
    } else if ((Array.isArray(value) || isPlainObject(value)) && holdsRaw(value)) {
      const head = elementHead(Array.isArray(value) ? 0x04 : 0x03, name);
      parts.push(head);
      size += head.length + addEncoded(value, parts);
    } else {
      const one = serialize({ [name]: value });
      parts.push(Buffer.from(one.buffer, one.byteOffset + 4, one.byteLength - 5));
      size += one.byteLength - 5;
    }
  };
  if (Array.isArray(doc)) for (let i = 0; i < doc.length; i++) add(String(i), doc[i], i);
  else for (const [name, value] of Object.entries(doc)) add(name, value, -1);
  length.writeInt32LE(size, 0);
  parts.push(TERMINATOR);
  return size;
}

/**
 * Encodes a document whose values may be (or hold) {@link RawDocument}s, whose bytes are copied as they are,
 * once, after `reserve` bytes left for the caller.
 */
function encodeWithRaw(doc: Doc, reserve: number): Buffer {
  const parts: Buffer[] = [];
  const size = addEncoded(doc, parts);
  const out = Buffer.allocUnsafe(reserve + size);
  let at = reserve;
  for (const part of parts) at += part.copy(out, at);
  return out;
}

/** An OP_MSG reply: flags 0 and a single kind-0 section. */
export function encodeOpMsg(requestId: number, responseTo: number, body: Doc): Buffer {
  const prefix = HEADER_SIZE + 5;
  if (holdsRaw(body)) {
    const out = encodeWithRaw(body, prefix);
    writeHeader(out, out.length, requestId, responseTo, OpCode.msg);
    out.fill(0, HEADER_SIZE, prefix);
    return out;
  }
  const bson = serialize(body);
  const length = prefix + bson.length;
  return Buffer.concat([header(length, requestId, responseTo, OpCode.msg), Buffer.alloc(5), bson]);
}

/** An OP_REPLY carrying one document, the answer to an OP_QUERY handshake. */
export function encodeOpReply(requestId: number, responseTo: number, doc: Doc): Buffer {
  const bson = serialize(doc);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(1, 16); // numberReturned; flags, cursorID and startingFrom stay zero
  const length = HEADER_SIZE + fields.length + bson.length;
  return Buffer.concat([header(length, requestId, responseTo, OpCode.reply), fields, bson]);
}
