import { realpathSync } from 'node:fs';
import { LockHolder, processAlive, probeEmbeddedServer, readLock } from '../../embedded-mongo';
import { ConfigError } from '../../config/parsers';

/** How long a process that holds the lock may take to publish its address or to answer. */
const WAIT_MS = 10_000;
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The URI of the embedded server that holds `dataDir`: its address comes from the lock file, and
 * the server must prove it is that process on that directory (serverStatus pid, getCmdLineOpts
 * dbPath) before anyone connects. Null when the holder died (the lock is stale and can be taken).
 * Anything else is refused: connecting elsewhere would put writes in another database.
 */
export async function holderUri(dataDir: string, first: LockHolder, waitMs = WAIT_MS): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  let holder: LockHolder | null = first;
  for (;;) {
    if (!holder || !processAlive(holder.pid)) return null;
    if (holder.port !== undefined) {
      const host = holder.host ?? '127.0.0.1';
      const identity = await probeEmbeddedServer(host, holder.port);
      if (identity && identity.pid === holder.pid && identity.dbPath === realpathSync(dataDir)) {
        return `mongodb://${host.includes(':') ? `[${host}]` : host}:${holder.port}/`;
      }
    }
    if (Date.now() >= deadline) {
      const where =
        holder.port === undefined ? 'has not published its address' : `does not answer on port ${holder.port}`;
      throw new ConfigError(
        `MONGO_DATA_DIR ${dataDir} is held by process ${holder.pid}, whose embedded server ${where}. ` +
          'Stop that process (or wait for it to finish starting), or point MONGO_DATA_DIR elsewhere.',
      );
    }
    await sleep(POLL_MS);
    holder = readLock(dataDir);
  }
}
