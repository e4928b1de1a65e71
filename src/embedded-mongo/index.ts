import { CursorRegistry } from './cursors';
import { DataDirectory } from './persistence/data-directory';
import { FileSync } from './persistence/file-sync';
import { ServerState } from './server-state';
import { WireServer } from './server';
import { Store } from './storage/store';
import { TtlSweeper } from './ttl-sweeper';

export { DataDirectoryInUseError, processAlive, readLock } from './persistence/lock-file';
export type { LockHolder } from './persistence/lock-file';
export { probeEmbeddedServer } from './probe';
export { systemFileSync } from './persistence/file-sync';
export type { FileSync } from './persistence/file-sync';

export interface EmbeddedMongoOptions {
  /** Data directory for the journal and snapshots; in memory when omitted. */
  dir?: string;
  /** TCP port; 0 or undefined picks a free one. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  /** Journal size that triggers compaction into a snapshot (default 64 MiB). */
  compactAfterBytes?: number;
  /** Test seam, never set by the product: the fsync calls of the journal and snapshots (the system's by default). */
  fileSync?: FileSync;
}

/**
 * A MongoDB-compatible server (wire protocol on bson + mingo) running inside this process.
 * mongoose and the official driver talk to it over TCP exactly as they would to MongoDB.
 */
export class EmbeddedMongo {
  private constructor(
    readonly uri: string,
    readonly port: number,
    private readonly server: WireServer,
    private readonly sweeper: TtlSweeper,
    private readonly cursorTimer: NodeJS.Timeout,
    private readonly data: DataDirectory | null,
  ) {}

  static async start(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
    const host = options.host ?? '127.0.0.1';
    const log = (message: string) => process.stderr.write(`[embedded-mongo] ${message}\n`);
    const store = new Store();
    const cursors = new CursorRegistry();
    const state = new ServerState(options.dir ?? null);
    const data = options.dir
      ? DataDirectory.open(options.dir, store, {
          compactAfterBytes: options.compactAfterBytes,
          onError: log,
          fileSync: options.fileSync,
        })
      : null;
    const commit = () => data?.commit();
    const server = new WireServer({ context: { store, cursors, server: state }, commit, log });
    let port: number;
    try {
      port = await server.listen(options.port ?? 0, host);
      data?.publish(host, port);
    } catch (error) {
      // Nothing stays behind: no listener, no journal open, no lock on the directory.
      await server.close();
      await data?.close();
      throw error;
    }
    state.host = host;
    state.port = port;
    const sweeper = new TtlSweeper(store, commit, log, () => state.parameters.get('ttlMonitorEnabled') === true);
    sweeper.start();
    const cursorTimer = setInterval(
      () => cursors.expireIdle(Date.now(), Number(state.parameters.get('cursorTimeoutMillis'))),
      1000,
    );
    cursorTimer.unref();
    const uriHost = host.includes(':') ? `[${host}]` : host;
    return new EmbeddedMongo(`mongodb://${uriHost}:${port}/`, port, server, sweeper, cursorTimer, data);
  }

  /**
   * Writes a snapshot of the data directory now (as compaction does when the journal is full),
   * without pausing other clients; resolves when it is in place. No-op in memory.
   */
  async snapshot(): Promise<void> {
    await this.data?.snapshot();
  }

  private stopping: Promise<boolean> | null = null;

  /**
   * Closes every client socket, makes the journal durable and releases the data directory. Idempotent.
   * Resolves false when some change could not be made durable (a full disk: the reason is logged).
   */
  stop(): Promise<boolean> {
    this.stopping ??= (async () => {
      this.sweeper.stop();
      clearInterval(this.cursorTimer);
      await this.server.close();
      return (await this.data?.close()) ?? true;
    })();
    return this.stopping;
  }
}
