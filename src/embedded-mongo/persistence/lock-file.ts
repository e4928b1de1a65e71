import { closeSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'embedded-mongo.lock';

/** Who holds a data directory: the process, and where its server listens once it does. */
export interface LockHolder {
  pid: number;
  host?: string;
  port?: number;
}

/** The data directory is held by another live process (or by this one, for another server). */
export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(`data directory ${dir} is in use by process ${holder.pid}`);
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parses a lock file: `{"pid":..,"host":..,"port":..}`, or a bare pid as older versions wrote it. */
export function readLock(dir: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(join(dir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'number') return { pid: parsed };
    const holder = parsed as LockHolder;
    return typeof holder.pid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

/** Directories this process holds; a lock naming our own pid but not listed here is stale (pid reuse). */
const held = new Set<string>();

/** Creates the lock file exclusively; a lock left by a dead process (kill -9) is taken over. */
export function acquireLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  if (held.has(resolve(dir))) throw new DataDirectoryInUseError(dir, readLock(dir) ?? { pid: process.pid });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        // Whole or not at all: a lock a full disk cut short parses as no lock, and another process would take it.
        writeFileSync(fd, JSON.stringify({ pid: process.pid }));
      } catch (error) {
        unlinkSync(path);
        throw lockNotWritten(dir, error);
      } finally {
        closeSync(fd);
      }
      held.add(resolve(dir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(dir);
    if (holder && holder.pid > 0 && holder.pid !== process.pid && processAlive(holder.pid)) {
      throw new DataDirectoryInUseError(dir, holder);
    }
    unlinkSync(path);
  }
  throw new Error(`could not lock data directory ${dir}`);
}

/** Records where this process's server listens, so other processes find it (and not another server). */
export function publishAddress(dir: string, host: string, port: number): void {
  // Written beside the lock and renamed over it, so a reader never sees a half-written lock.
  const tmp = join(dir, `${LOCK_FILE}.${process.pid}`);
  try {
    writeFileSync(tmp, JSON.stringify({ pid: process.pid, host, port }));
    renameSync(tmp, join(dir, LOCK_FILE));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw lockNotWritten(dir, error);
  }
}

function lockNotWritten(dir: string, cause: unknown): Error {
  return new Error(`the lock file of data directory ${dir} could not be written (${(cause as Error).message})`, {
    cause,
  });
}

export function releaseLock(dir: string): void {
  held.delete(resolve(dir));
  try {
    unlinkSync(join(dir, LOCK_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
