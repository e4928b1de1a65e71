import { deserialize, serialize } from 'bson';
import { crc32 } from 'node:zlib';
import { BSON_READ_OPTIONS } from '../storage/bson-values';
import { Doc } from '../storage/documents';

/** Each record is `[uint32 length][uint32 crc32][BSON payload]`, so a torn tail is detectable. */
const RECORD_HEADER = 8;

function framed(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.set(payload, RECORD_HEADER);
  return out;
}

/** Frames one record for the journal or a snapshot. */
export function encodeRecord(record: Doc): Buffer {
  return framed(serialize(record));
}

const DOC_ELEMENT = Buffer.from('\x03doc\0', 'latin1');

/**
 * The record that stores a document, `{ op: 'put', db, coll, doc }`, framed around the document's BSON
 * bytes as they are (the same bytes `encodeRecord` would write, without encoding the document again).
 */
export function encodePutRecord(db: string, coll: string, doc: Buffer): Buffer {
  const head = serialize({ op: 'put', db, coll });
  const payload = Buffer.allocUnsafe(head.length + DOC_ELEMENT.length + doc.length);
  payload.set(head.subarray(0, head.length - 1));
  let offset = head.length - 1;
  offset += DOC_ELEMENT.copy(payload, offset);
  payload.set(doc, offset);
  offset += doc.length;
  payload[offset] = 0;
  payload.writeInt32LE(payload.length, 0);
  return framed(payload);
}

/**
 * Decodes records up to the first incomplete or corrupt one. `validBytes` is where the intact
 * prefix ends: recovery truncates there, so a half-written record is never replayed.
 */
export function decodeRecords(buffer: Buffer): { records: Doc[]; validBytes: number } {
  const records: Doc[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER <= buffer.length) {
    const length = buffer.readUInt32LE(offset);
    const end = offset + RECORD_HEADER + length;
    if (length < 5 || end > buffer.length) break;
    const payload = buffer.subarray(offset + RECORD_HEADER, end);
    if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) break;
    try {
      records.push(deserialize(payload, BSON_READ_OPTIONS));
    } catch {
      break;
    }
    offset = end;
  }
  return { records, validBytes: offset };
}
