import { fsync, fsyncSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The fsync calls of the journal and snapshots. The server always uses the system's; this is a test
 * seam, since a real fsync fails only on a failing disk and tests must make it fail on demand.
 */
export interface FileSync {
  fsync(fd: number): Promise<void>;
  fsyncSync(fd: number): void;
}

export const systemFileSync: FileSync = { fsync: promisify(fsync), fsyncSync };
