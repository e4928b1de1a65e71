import { closeSync, existsSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Doc } from '../storage/documents';
import { Store } from '../storage/store';
import { FileSync, systemFileSync } from './file-sync';
import { encodePutRecord, encodeRecord } from './record-format';
import { readRecordFile } from './record-reader';
import { SnapshotCapture } from './snapshot-capture';

export const SNAPSHOT_FILE = 'snapshot.bson';
const TMP_FILE = `${SNAPSHOT_FILE}.tmp`;
/** A chunk is handed to the file (and the event loop gets a turn) at this size or after this long. */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
const CHUNK_MS = 4;

/** Every record of the captured state, in dependency order, as encoded chunks. */
function* chunks(capture: SnapshotCapture, generation: number, chunkBytes: number): Generator<Buffer, void, void> {
  let parts: Buffer[] = [encodeRecord({ op: 'snapshot', generation, createdAt: new Date() })];
  let bytes = 0;
  let count = 0;
  let started = performance.now();
  const addEncoded = (encoded: Buffer) => {
    parts.push(encoded);
    bytes += encoded.length;
    count++;
  };
  const add = (record: Doc) => addEncoded(encodeRecord(record));
  const due = () => bytes >= chunkBytes || ((count & 63) === 0 && performance.now() - started >= CHUNK_MS);
  function* flush(): Generator<Buffer, void, void> {
    const chunk = Buffer.concat(parts);
    parts = [];
    bytes = 0;
    yield chunk;
    started = performance.now();
  }
  for (const { db, coll, options, indexes, collection } of capture.catalog) {
    add({ op: 'createCollection', db, coll, options });
    for (const spec of indexes) add({ op: 'createIndex', db, coll, spec });
    // A live Map iterator: documents changed meanwhile are written as they were (copy-on-write).
    for (const [id, current] of collection.docs.encodedEntries()) {
      const doc = capture.versionToWrite(collection, id, current);
      if (doc) addEncoded(encodePutRecord(db, coll, doc));
      if (due()) yield* flush();
    }
    for (const doc of capture.unwritten(collection)) addEncoded(encodePutRecord(db, coll, doc));
  }
  add({ op: 'end', count });
  yield* flush();
}

/** A snapshot given up because the server is stopping; not a failure worth reporting. */
export class SnapshotAborted extends Error {
  constructor() {
    super('snapshot abandoned: the server is stopping');
  }
}

/**
 * Writes a snapshot of the store as it was when the job was created, while the store keeps
 * changing: a chunk at a time, next to the old snapshot, then fsync and an atomic rename.
 */
export class SnapshotJob {
  private readonly capture: SnapshotCapture;
  private readonly steps: Generator<Buffer, void, void>;
  private readonly tmp: string;
  private aborted = false;

  constructor(
    private readonly dir: string,
    private readonly store: Store,
    readonly generation: number,
    chunkBytes = SNAPSHOT_CHUNK_BYTES,
    private readonly sync: FileSync = systemFileSync,
  ) {
    this.capture = new SnapshotCapture(store.databases);
    store.capture = this.capture;
    this.steps = chunks(this.capture, generation, chunkBytes);
    this.tmp = join(dir, TMP_FILE);
  }

  /** Stops the job; a later call to run() or runSync() fails and leaves the old snapshot in place. */
  abort(): void {
    this.aborted = true;
  }

  private detach(): void {
    if (this.store.capture === this.capture) this.store.capture = null;
  }

  /** Writes the snapshot with the event loop free between chunks; resolves once it is renamed into place. */
  async run(): Promise<void> {
    const file = await open(this.tmp, 'w').catch((error: unknown) => {
      // No snapshot will be written: the store stops keeping documents' earlier versions for it.
      this.detach();
      throw error;
    });
    try {
      for (let step = this.steps.next(); !step.done; step = this.steps.next()) {
        if (this.aborted) throw new SnapshotAborted();
        // A write may store only part of a chunk (on a disk that fills up); a hole would damage the snapshot.
        for (let at = 0; at < step.value.length;) {
          const { bytesWritten } = await file.write(step.value, at, step.value.length - at);
          if (bytesWritten === 0) throw new Error('the snapshot file accepts no more bytes');
          at += bytesWritten;
        }
      }
      this.detach();
      await this.sync.fsync(file.fd);
    } catch (error) {
      this.detach();
      await file.close();
      unlinkSync(this.tmp);
      throw error;
    }
    await file.close();
    renameSync(this.tmp, join(this.dir, SNAPSHOT_FILE));
    const dirHandle = await open(this.dir, 'r');
    try {
      await this.sync.fsync(dirHandle.fd);
    } finally {
      await dirHandle.close();
    }
  }

  /** Writes the next chunk synchronously; true once the whole snapshot is in place (tests interleave writes with this). */
  stepSync(fd: { value: number | null }): boolean {
    try {
      fd.value ??= openSync(this.tmp, 'w');
    } catch (error) {
      this.detach();
      throw error;
    }
    try {
      const step = this.steps.next();
      if (!step.done) {
        for (let at = 0; at < step.value.length;) {
          const written = writeSync(fd.value, step.value, at, step.value.length - at);
          if (written === 0) throw new Error('the snapshot file accepts no more bytes');
          at += written;
        }
        return false;
      }
      this.detach();
      this.sync.fsyncSync(fd.value);
    } catch (error) {
      this.detach();
      closeSync(fd.value);
      unlinkSync(this.tmp);
      throw error;
    }
    closeSync(fd.value);
    renameSync(this.tmp, join(this.dir, SNAPSHOT_FILE));
    return true;
  }
}

/** Loads the snapshot into the store record by record; returns its generation (0 when there is none). */
export function loadSnapshot(dir: string, apply: (record: Doc) => void): number {
  const path = join(dir, SNAPSHOT_FILE);
  if (!existsSync(path)) return 0;
  let header: Doc | undefined;
  let end: Doc | undefined;
  let applied = 0;
  readRecordFile(path, (record) => {
    if (!header) {
      header = record;
      if (header.op !== 'snapshot') throw damaged(path);
    } else if (record.op === 'end') {
      end = record;
    } else {
      if (end) throw damaged(path);
      apply(record);
      applied++;
    }
  });
  // Snapshots are renamed into place only after fsync, so an incomplete one means outside damage.
  if (!header || !end || Number(end.count) !== applied) throw damaged(path);
  return Number(header.generation);
}

function damaged(path: string): Error {
  return new Error(`snapshot ${path} is damaged; refusing to start rather than lose data`);
}

/** Removes a snapshot left half-written by a crash or an aborted job. */
export function removeStaleTemporary(dir: string): void {
  if (existsSync(join(dir, TMP_FILE))) unlinkSync(join(dir, TMP_FILE));
}
