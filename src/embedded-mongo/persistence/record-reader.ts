import { deserialize } from 'bson';
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { BSON_READ_OPTIONS } from '../storage/bson-values';
import { Doc } from '../storage/documents';

const RECORD_HEADER = 8;
/** Larger than any record (a 16 MiB document plus its envelope); a bigger length is a torn header. */
const MAX_RECORD = 64 * 1024 * 1024;
const CHUNK = 16 * 1024 * 1024;

/**
 * Streams the records of a journal or snapshot file through `onRecord`, reading a chunk at a time,
 * so a file of any size (past 2 GiB) loads without being held in memory at once. Stops at the
 * first incomplete or corrupt record; `validBytes` is where the intact prefix ends.
 */
export function readRecordFile(
  path: string,
  onRecord: (record: Doc) => void,
  chunkBytes = CHUNK,
): { validBytes: number; count: number } {
  const fd = openSync(path, 'r');
  let buffer = Buffer.allocUnsafe(chunkBytes);
  let start = 0;
  let end = 0;
  let filePosition = 0;
  let validBytes = 0;
  let count = 0;
  /** Makes at least `need` unread bytes available if the file has them. */
  const fill = (need: number): boolean => {
    if (end - start >= need) return true;
    if (start > 0) {
      buffer.copy(buffer, 0, start, end);
      end -= start;
      start = 0;
    }
    if (need > buffer.length) {
      const bigger = Buffer.allocUnsafe(need);
      buffer.copy(bigger, 0, 0, end);
      buffer = bigger;
    }
    while (end < need) {
      const read = readSync(fd, buffer, end, buffer.length - end, filePosition);
      if (read === 0) return false;
      end += read;
      filePosition += read;
    }
    return true;
  };
  try {
    while (fill(RECORD_HEADER)) {
      const length = buffer.readUInt32LE(start);
      if (length < 5 || length > MAX_RECORD || !fill(RECORD_HEADER + length)) break;
      const payload = buffer.subarray(start + RECORD_HEADER, start + RECORD_HEADER + length);
      if (crc32(payload) !== buffer.readUInt32LE(start + 4)) break;
      let record: Doc;
      try {
        record = deserialize(payload, BSON_READ_OPTIONS);
      } catch {
        break;
      }
      onRecord(record);
      start += RECORD_HEADER + length;
      validBytes += RECORD_HEADER + length;
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return { validBytes, count };
}
