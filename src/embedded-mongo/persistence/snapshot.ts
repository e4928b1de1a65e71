import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Doc } from '../storage/documents';
import { Store } from '../storage/store';
import { decodeRecords, encodeRecord } from './record-format';

export const SNAPSHOT_FILE = 'snapshot.bson';
const FLUSH_BYTES = 4 * 1024 * 1024;

/** Every record needed to rebuild the current state, in dependency order. */
function* stateRecords(store: Store): Generator<Doc> {
  for (const [db, collections] of store.databases) {
    for (const [coll, collection] of collections) {
      yield { op: 'createCollection', db, coll, options: collection.options };
      for (const index of collection.indexes.values()) {
        if (!index.isIdIndex) yield { op: 'createIndex', db, coll, spec: index.spec };
      }
      for (const doc of collection.docs.values()) yield { op: 'put', db, coll, doc };
    }
  }
}

/** Writes a complete snapshot next to the old one, fsyncs it, then atomically renames it into place. */
export function writeSnapshot(dir: string, store: Store, generation: number): void {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    let chunks: Buffer[] = [encodeRecord({ op: 'snapshot', generation, createdAt: new Date() })];
    let bytes = 0;
    let count = 0;
    for (const record of stateRecords(store)) {
      const encoded = encodeRecord(record);
      chunks.push(encoded);
      bytes += encoded.length;
      count++;
      if (bytes >= FLUSH_BYTES) {
        writeSync(fd, Buffer.concat(chunks));
        chunks = [];
        bytes = 0;
      }
    }
    chunks.push(encodeRecord({ op: 'end', count }));
    writeSync(fd, Buffer.concat(chunks));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** The snapshot's generation and state records; generation 0 and no records when there is none. */
export function readSnapshot(dir: string): { generation: number; records: Doc[] } {
  const path = join(dir, SNAPSHOT_FILE);
  if (!existsSync(path)) return { generation: 0, records: [] };
  const { records } = decodeRecords(readFileSync(path));
  const header = records[0];
  const end = records[records.length - 1];
  // Snapshots are renamed into place only after fsync, so an incomplete one means outside damage.
  if (header?.op !== 'snapshot' || end?.op !== 'end' || end.count !== records.length - 2) {
    throw new Error(`snapshot ${path} is damaged; refusing to start rather than lose data`);
  }
  return { generation: Number(header.generation), records: records.slice(1, -1) };
}
