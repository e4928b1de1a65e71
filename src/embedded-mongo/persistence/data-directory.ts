import {
  close as closeAsync,
  closeSync,
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
import { ErrorCode, ServerError } from '../errors';
import { Doc } from '../storage/documents';
import { ChangeSink, Store } from '../storage/store';
import { FileSync, systemFileSync } from './file-sync';
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
/** After a snapshot that was to replace an unsynced journal fails, the next one waits this long, doubling up to a minute. */
const RECOVERY_RETRY_MS = 1000;
const RECOVERY_RETRY_MAX_MS = 60_000;
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
 *
 * A failed fsync is not retried: the kernel may already have dropped the pages it could not write
 * and marked them clean, so a later fsync can succeed without them (PostgreSQL's "fsyncgate"). The
 * journal is then unsynced: writes are refused, and a snapshot of the state in memory (the one copy
 * known to be whole) replaces it; once that snapshot is in place, writes are accepted again.
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
    private readonly fileSync: FileSync,
    /** Generation of the snapshot in place (0 when there is none): it holds every journal before it. */
    private snapshotGeneration: number,
  ) {
    this.fd = openSync(join(dir, journalName(generation)), 'a');
    this.journalBytes = journalBytes;
    this.fsyncTimer = setInterval(() => this.tick(), FSYNC_INTERVAL_MS);
    this.fsyncTimer.unref();
    this.measureSnapshot();
  }

  /** Locks the directory, loads the snapshot, replays intact journal records and attaches the journal. */
  static open(
    dir: string,
    store: Store,
    options: {
      compactAfterBytes?: number;
      onError: (message: string) => void;
      snapshotChunkBytes?: number;
      fileSync?: FileSync;
    },
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
        options.fileSync ?? systemFileSync,
        snapshotGeneration,
      );
      store.sink = data;
      return data;
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  encode(change: Doc): Buffer {
    this.refuseIfUnsynced();
    return encodeRecord(change);
  }

  encodePut(db: string, coll: string, doc: Buffer): Buffer {
    this.refuseIfUnsynced();
    return encodePutRecord(db, coll, doc);
  }

  /** Changes are encoded before they are applied, so a write refused here never happens. */
  private refuseIfUnsynced(): void {
    if (this.unsynced) throw this.unsynced.error;
  }

  /**
   * Set when the fsync of a journal failed: the newest such journal's generation, and the error
   * writes get until a snapshot of a later generation is in place.
   */
  private unsynced: { generation: number; failure: string; error: ServerError } | null = null;
  private recovering = false;
  private recoveryDelay = RECOVERY_RETRY_MS;
  private recoveryDue = 0;

  private fsyncFailed(generation: number, error: Error): void {
    // A snapshot already in place holds that journal's records: it is no longer needed.
    if (generation < this.snapshotGeneration || (this.unsynced && this.unsynced.generation >= generation)) return;
    const journal = journalName(generation);
    this.onError(
      `fsync of ${journal} failed (${error.message}): writes are refused until a snapshot holds every change`,
    );
    this.unsynced = {
      generation,
      failure: `the fsync of ${journal} failed (${error.message})`,
      error: new ServerError(
        ErrorCode.InternalError,
        `journal fsync failed: ${journal} (${error.message}); writes are refused until a snapshot holds every change`,
      ),
    };
    this.recover();
  }

  /** Writes a snapshot of the state in memory to replace the unsynced journals (one at a time). */
  private recover(): void {
    if (!this.unsynced || this.recovering || this.closed) return;
    this.recovering = true;
    const attempt = async () => {
      // A snapshot already running holds only the journals before its own generation.
      if (this.running) await this.running.done.catch(() => undefined);
      if (this.unsynced && !this.closed) await this.snapshot();
    };
    attempt()
      .then(
        () => (this.recoveryDelay = RECOVERY_RETRY_MS),
        (error: unknown) => {
          this.onError(
            `snapshot to replace the unsynced journal failed: ${(error as Error).message}; ` +
              `writes stay refused, next attempt in ${this.recoveryDelay / 1000} s`,
          );
          this.recoveryDue = Date.now() + this.recoveryDelay;
          this.recoveryDelay = Math.min(this.recoveryDelay * 2, RECOVERY_RETRY_MAX_MS);
        },
      )
      .finally(() => (this.recovering = false));
  }

  private tick(): void {
    void this.sync();
    if (this.unsynced && Date.now() >= this.recoveryDue) this.recover();
  }

  /** A snapshot of `generation` is in place: older journals go, and those it replaced need no fsync. */
  private snapshotInPlace(generation: number): void {
    this.snapshotGeneration = generation;
    this.dropJournalsBefore(generation);
    this.measureSnapshot();
    if (this.unsynced && this.unsynced.generation < generation) {
      this.unsynced = null;
      this.onError(`a snapshot now holds every change the unsynced journal held: writes are accepted again`);
    }
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
    const generation = this.generation;
    this.syncing = this.fileSync
      .fsync(this.fd)
      .catch((error: unknown) => this.fsyncFailed(generation, error as Error))
      .finally(() => (this.syncing = null));
    return this.syncing;
  }

  /** Starts a new journal generation and a snapshot job for the state up to it. */
  private rotate(): SnapshotJob {
    this.commit();
    const previous = this.fd;
    const previousGeneration = this.generation;
    const next = this.generation + 1;
    this.fd = openSync(join(this.dir, journalName(next)), 'a');
    this.generation = next;
    this.journalBytes = 0;
    this.dirty = false;
    // The previous journal stays the recovery source until the snapshot is in place.
    Promise.resolve(this.syncing)
      .then(() => this.fileSync.fsync(previous))
      .catch((error: unknown) => this.fsyncFailed(previousGeneration, error as Error))
      // Its descriptor is closed whether or not that fsync succeeded.
      .then(() => closeFd(previous))
      .catch((error: unknown) => this.onError(`closing a journal failed: ${(error as Error).message}`));
    return new SnapshotJob(this.dir, this.store, next, this.snapshotChunkBytes, this.fileSync);
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
        this.snapshotInPlace(job.generation);
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
    this.snapshotInPlace(job.generation);
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
      // After a failed fsync the snapshot is what makes the journals' records durable: it is finished.
      if (!this.unsynced) this.running.job.abort();
      await this.running.done.catch(() => undefined);
    }
    if (this.unsynced) {
      await this.snapshot().catch((error: unknown) =>
        this.onError(`stopping: snapshot to replace the unsynced journal failed (${(error as Error).message})`),
      );
    }
    // Only changes of commands already answered with `journal write failed` can be left to write here.
    let durable = this.attempt(
      'stopping: changes of a command that failed with "journal write failed" could not be journaled',
      () => this.commit(),
    );
    await this.syncing;
    durable = this.attempt('stopping: fsync of the journal failed', () => this.fileSync.fsyncSync(this.fd)) && durable;
    durable = this.attempt('stopping: closing the journal failed', () => closeSync(this.fd)) && durable;
    if (this.unsynced) {
      // A later fsync that succeeds proves nothing: the pages the failed one lost may be gone.
      this.onError(
        `stopping: ${this.unsynced.failure} and no snapshot replaced it: acknowledged writes may be lost on a power failure`,
      );
      durable = false;
    }
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
