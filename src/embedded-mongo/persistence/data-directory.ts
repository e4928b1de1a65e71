import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { Doc } from '../storage/documents';
import { ChangeSink, Store } from '../storage/store';
import { decodeRecords, encodeRecord } from './record-format';
import { applyRecord } from './replay';
import { readSnapshot, writeSnapshot } from './snapshot';

const LOCK_FILE = 'embedded-mongo.lock';
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const FSYNC_INTERVAL_MS = 200;

const journalName = (generation: number) => `journal-${String(generation).padStart(8, '0')}.log`;

function journalGenerations(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => /^journal-(\d+)\.log$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories this process holds; a lock naming our own pid but not listed here is stale (pid reuse). */
const held = new Set<string>();

/** Creates the lock file exclusively; a lock left by a dead process (kill -9) is taken over. */
function acquireLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  if (held.has(resolve(dir))) throw new Error(`data directory ${dir} is in use by process ${process.pid}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(resolve(dir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number(readFileSync(path, 'utf8'));
    if (pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new Error(`data directory ${dir} is in use by process ${pid}`);
    }
    unlinkSync(path);
  }
  throw new Error(`could not lock data directory ${dir}`);
}

/**
 * Durable state in a directory: a snapshot plus append-only journals. Changes are encoded as they
 * happen and written with one write(2) per command before its reply (so they survive a killed
 * process); fsync follows within FSYNC_INTERVAL_MS. Large journals are compacted into a snapshot.
 */
export class DataDirectory implements ChangeSink {
  private pending: Buffer[] = [];
  private journalBytes = 0;
  private dirty = false;
  private fd: number;
  private readonly fsyncTimer: NodeJS.Timeout;

  private constructor(
    private readonly dir: string,
    private readonly store: Store,
    private generation: number,
    journalBytes: number,
    private readonly compactAfterBytes: number,
    private readonly onError: (message: string) => void,
  ) {
    this.fd = openSync(join(dir, journalName(generation)), 'a');
    this.journalBytes = journalBytes;
    this.fsyncTimer = setInterval(() => {
      try {
        this.sync();
      } catch (error) {
        this.onError(`fsync failed: ${(error as Error).message}`);
      }
    }, FSYNC_INTERVAL_MS);
    this.fsyncTimer.unref();
  }

  /** Locks the directory, loads the snapshot, replays intact journal records and attaches the journal. */
  static open(
    dir: string,
    store: Store,
    options: { compactAfterBytes?: number; onError: (message: string) => void },
  ): DataDirectory {
    mkdirSync(dir, { recursive: true });
    acquireLock(dir);
    const snapshot = readSnapshot(dir);
    for (const record of snapshot.records) applyRecord(store, record);
    let generation = Math.max(snapshot.generation, 1);
    let bytes = 0;
    for (const gen of journalGenerations(dir)) {
      const path = join(dir, journalName(gen));
      if (gen < snapshot.generation) {
        unlinkSync(path); // already folded into the snapshot
        continue;
      }
      const { records, validBytes } = decodeRecords(readFileSync(path));
      for (const record of records) applyRecord(store, record);
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
    );
    store.sink = data;
    return data;
  }

  encode(change: Doc): Buffer {
    return encodeRecord(change);
  }

  append(encoded: Buffer): void {
    this.pending.push(encoded);
  }

  /** Writes the changes of the current command to the journal; called before its reply is sent. */
  commit(): void {
    if (this.pending.length === 0) return;
    const buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    writeSync(this.fd, buffer);
    this.journalBytes += buffer.length;
    this.dirty = true;
    if (this.journalBytes < this.compactAfterBytes) return;
    try {
      this.compact();
    } catch (error) {
      // The command's records are already in the journal; a failed snapshot is retried next time.
      this.onError(`snapshot failed: ${(error as Error).message}`);
    }
  }

  private sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    fsyncSync(this.fd);
  }

  /** Starts a new journal generation and folds everything before it into a fresh snapshot. */
  compact(): void {
    this.commit();
    this.sync();
    closeSync(this.fd);
    const next = this.generation + 1;
    this.fd = openSync(join(this.dir, journalName(next)), 'a');
    writeSnapshot(this.dir, this.store, next);
    for (const gen of journalGenerations(this.dir)) if (gen < next) unlinkSync(join(this.dir, journalName(gen)));
    this.generation = next;
    this.journalBytes = 0;
  }

  close(): void {
    clearInterval(this.fsyncTimer);
    this.compact();
    this.sync();
    closeSync(this.fd);
    this.store.sink = null;
    unlinkSync(join(this.dir, LOCK_FILE));
    held.delete(resolve(this.dir));
  }
}
