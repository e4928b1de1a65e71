import { CursorRegistry } from './cursors';
import { DataDirectory } from './persistence/data-directory';
import { WireServer } from './server';
import { Store } from './storage/store';
import { TtlSweeper } from './ttl-sweeper';

export interface EmbeddedMongoOptions {
  /** Data directory for the journal and snapshots; in memory when omitted. */
  dir?: string;
  /** TCP port; 0 or undefined picks a free one. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  /** Journal size that triggers compaction into a snapshot (default 64 MiB). */
  compactAfterBytes?: number;
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
    const data = options.dir
      ? DataDirectory.open(options.dir, store, { compactAfterBytes: options.compactAfterBytes, onError: log })
      : null;
    const commit = () => data?.commit();
    const server = new WireServer({ context: { store, cursors }, commit, log });
    let port: number;
    try {
      port = await server.listen(options.port ?? 0, host);
    } catch (error) {
      data?.close();
      throw error;
    }
    const sweeper = new TtlSweeper(store, commit, log);
    sweeper.start();
    const cursorTimer = setInterval(() => cursors.expireIdle(), 60_000);
    cursorTimer.unref();
    const uriHost = host.includes(':') ? `[${host}]` : host;
    return new EmbeddedMongo(`mongodb://${uriHost}:${port}/`, port, server, sweeper, cursorTimer, data);
  }

  private stopping: Promise<void> | null = null;

  /** Closes every client socket, then writes a snapshot and releases the data directory. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.sweeper.stop();
      clearInterval(this.cursorTimer);
      await this.server.close();
      this.data?.close();
    })();
    return this.stopping;
  }
}
