import {
  close as closeAsync,
  closeSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Doc } from '../storage/documents';
import { ChangeSink, Store } from '../storage/store';
import { acquireLock, publishAddress, releaseLock } from './lock-file';
import { encodePutRecord, encodeRecord } from './record-format';
import { readRecordFile } from './record-reader';
import { applyRecord } from './replay';
import {
  SNAPSHOT_CHUNK_BYTES,
  SNAPSHOT_FILE,
  SnapshotAborted,
  SnapshotJob,
  loadSnapshot,
  removeStaleTemporary,
} from './snapshot';

const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const FSYNC_INTERVAL_MS = 200;
const fsyncAsync = promisify(fsync);
const closeFd = promisify(closeAsync);

const journalName = (generation: number) => `journal-${String(generation).padStart(8, '0')}.log`;

function journalGenerations(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => /^journal-(\d+)\.log$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * Durable state in a directory: a snapshot plus append-only journals. Changes are encoded as they
 * happen and written with one write(2) per command before its reply (so they survive a killed
 * process); fsync follows within FSYNC_INTERVAL_MS. When the journal passes its threshold a new
 * journal generation starts and a snapshot of the state at that instant is written in the
 * background (copy-on-write, a chunk at a time), then older journals are deleted.
 */
export class DataDirectory implements ChangeSink {
  private pending: Buffer[] = [];
  private journalBytes = 0;
  private dirty = false;
  private fd: number;
  private readonly fsyncTimer: NodeJS.Timeout;
  private running: { job: SnapshotJob; done: Promise<void> } | null = null;
  /**
   * A snapshot rewrites the whole store, so one starts only once the journal is also as large as the
   * last snapshot: on a large store writes then cost about twice their size on disk, not many times.
   */
  private snapshotBytes = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly store: Store,
    private generation: number,
    journalBytes: number,
    private readonly compactAfterBytes: number,
    private readonly onError: (message: string) => void,
    private readonly snapshotChunkBytes: number,
  ) {
    this.fd = openSync(join(dir, journalName(generation)), 'a');
    this.journalBytes = journalBytes;
    this.fsyncTimer = setInterval(() => void this.sync(), FSYNC_INTERVAL_MS);
    this.fsyncTimer.unref();
    this.measureSnapshot();
  }

  /** Locks the directory, loads the snapshot, replays intact journal records and attaches the journal. */
  static open(
    dir: string,
    store: Store,
    options: { compactAfterBytes?: number; onError: (message: string) => void; snapshotChunkBytes?: number },
  ): DataDirectory {
    mkdirSync(dir, { recursive: true });
    acquireLock(dir);
    try {
      removeStaleTemporary(dir);
      const snapshotGeneration = loadSnapshot(dir, (record) => applyRecord(store, record));
      let generation = Math.max(snapshotGeneration, 1);
      let bytes = 0;
      for (const gen of journalGenerations(dir)) {
        const path = join(dir, journalName(gen));
        if (gen < snapshotGeneration) {
          unlinkSync(path); // already folded into the snapshot
          continue;
        }
        const { validBytes } = readRecordFile(path, (record) => applyRecord(store, record));
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, validBytes); // drop a torn tail so new records follow intact ones
        closeSync(fd);
        generation = gen;
        bytes = validBytes;
      }
      const data = new DataDirectory(
        dir,
        store,
        generation,
        bytes,
        options.compactAfterBytes ?? COMPACT_AFTER_BYTES,
        options.onError,
        options.snapshotChunkBytes ?? SNAPSHOT_CHUNK_BYTES,
      );
      store.sink = data;
      return data;
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  encode(change: Doc): Buffer {
    return encodeRecord(change);
  }

  encodePut(db: string, coll: string, doc: Buffer): Buffer {
    return encodePutRecord(db, coll, doc);
  }

  append(encoded: Buffer): void {
    this.pending.push(encoded);
  }

  /** Records where this directory's server listens (in the lock file). */
  publish(host: string, port: number): void {
    publishAddress(this.dir, host, port);
  }

  /**
   * Writes the changes of the current command to the journal; called before its reply is sent. When
   * the write fails (a full disk, say) whatever part of it reached the file is cut off again, so the
   * journal stays a run of whole records that later ones can follow, and the changes stay queued to
   * be written ahead of the next command's; the error is thrown for the command to report.
   */
  commit(): void {
    if (this.pending.length === 0) return;
    const buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    if (this.damaged) throw this.damaged;
    try {
      this.writeAll(buffer);
    } catch (error) {
      this.pending = [buffer];
      this.cutBackTo(this.journalBytes);
      throw error;
    }
    this.pending = [];
    this.journalBytes += buffer.length;
    this.dirty = true;
    const threshold = Math.max(this.compactAfterBytes, this.snapshotBytes);
    if (this.journalBytes >= threshold && !this.running && !this.closed) {
      this.snapshot().catch((error: unknown) => {
        if (!(error instanceof SnapshotAborted)) this.onError(`snapshot failed: ${(error as Error).message}`);
      });
    }
  }

  /** write(2) may store only part of a buffer (on a disk that fills up); the rest is written after it. */
  private writeAll(buffer: Buffer): void {
    for (let written = 0; written < buffer.length;) {
      const wrote = writeSync(this.fd, buffer, written, buffer.length - written);
      if (wrote === 0) throw new Error('the journal file accepts no more bytes');
      written += wrote;
    }
  }

  /**
   * Truncates the journal to its last whole record. Should even that fail, records appended after the
   * torn one would be dropped on recovery, so every later write is refused instead.
   */
  private cutBackTo(bytes: number): void {
    try {
      ftruncateSync(this.fd, bytes);
    } catch (error) {
      this.damaged = new Error(
        `the journal ${journalName(this.generation)} ends in a partial record that could not be removed ` +
          `(${(error as Error).message}); restart the server to recover it`,
      );
      this.onError(this.damaged.message);
    }
  }

  /** Set when a failed write could not be cut back: the journal takes no more records. */
  private damaged: Error | null = null;

  private syncing: Promise<void> | null = null;

  /** Size of the snapshot in place (0 when there is none). */
  private measureSnapshot(): void {
    try {
      this.snapshotBytes = statSync(join(this.dir, SNAPSHOT_FILE)).size;
    } catch {
      this.snapshotBytes = 0;
    }
  }

  /**
   * fsyncs the journal in the thread pool: while a large snapshot is being flushed to disk an fsync
   * can take seconds, and it must not hold the event loop for that long.
   */
  private sync(): Promise<void> {
    if (this.syncing || !this.dirty) return this.syncing ?? Promise.resolve();
    this.dirty = false;
    this.syncing = fsyncAsync(this.fd)
      .catch((error: unknown) => this.onError(`fsync failed: ${(error as Error).message}`))
      .finally(() => (this.syncing = null));
    return this.syncing;
  }

  /** Starts a new journal generation and a snapshot job for the state up to it. */
  private rotate(): SnapshotJob {
    this.commit();
    const previous = this.fd;
    const next = this.generation + 1;
    this.fd = openSync(join(this.dir, journalName(next)), 'a');
    this.generation = next;
    this.journalBytes = 0;
    this.dirty = false;
    // The previous journal stays the recovery source until the snapshot is in place.
    Promise.resolve(this.syncing)
      .then(() => fsyncAsync(previous))
      .then(() => closeFd(previous))
      .catch((error: unknown) => this.onError(`closing a journal failed: ${(error as Error).message}`));
    return new SnapshotJob(this.dir, this.store, next, this.snapshotChunkBytes);
  }

  private dropJournalsBefore(generation: number): void {
    for (const gen of journalGenerations(this.dir)) {
      if (gen < generation) unlinkSync(join(this.dir, journalName(gen)));
    }
  }

  /** Writes a snapshot without stopping other work (joins one already running); resolves when it is in place. */
  snapshot(): Promise<void> {
    if (this.running) return this.running.done;
    let job: SnapshotJob;
    try {
      job = this.rotate();
    } catch (error) {
      // No new journal (no file can be opened, say): the current one goes on and the command that set
      // this snapshot off, already journaled, is still acknowledged.
      return Promise.reject(error);
    }
    const done = job.run().then(
      () => {
        this.running = null;
        this.dropJournalsBefore(job.generation);
        this.measureSnapshot();
      },
      (error: unknown) => {
        this.running = null;
        throw error;
      },
    );
    this.running = { job, done };
    return done;
  }

  /** The same snapshot, written synchronously; `between` runs between its chunks (tests change the store there). */
  compact(between?: () => void): void {
    if (this.running) throw new Error('a snapshot is already being written');
    const job = this.rotate();
    const fd = { value: null as number | null };
    while (!job.stepSync(fd)) between?.();
    this.dropJournalsBefore(job.generation);
    this.measureSnapshot();
  }

  private closing: Promise<boolean> | null = null;

  /**
   * Flushes and fsyncs the journal and releases the directory. A snapshot still being written is
   * abandoned (the journals it would replace stay), so stopping never waits for one. It never throws:
   * a step that fails (a disk still full) is logged and the others still run, so the journal keeps
   * every acknowledged write and the directory is released. Resolves false when some change the
   * server made could not be made durable.
   */
  close(): Promise<boolean> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async release(): Promise<boolean> {
    this.closed = true;
    clearInterval(this.fsyncTimer);
    if (this.running) {
      this.running.job.abort();
      await this.running.done.catch(() => undefined);
    }
    // Only changes of commands already answered with `journal write failed` can be left to write here.
    let durable = this.attempt(
      'stopping: changes of a command that failed with "journal write failed" could not be journaled',
      () => this.commit(),
    );
    await this.syncing;
    durable = this.attempt('stopping: fsync of the journal failed', () => fsyncSync(this.fd)) && durable;
    durable = this.attempt('stopping: closing the journal failed', () => closeSync(this.fd)) && durable;
    this.store.sink = null;
    this.attempt('stopping: removing the lock file failed', () => releaseLock(this.dir));
    return durable;
  }

  /** Runs one step of closing; a failure is logged and closing goes on. */
  private attempt(what: string, step: () => void): boolean {
    try {
      step();
      return true;
    } catch (error) {
      this.onError(`${what} (${(error as Error).message})`);
      return false;
    }
  }
}
