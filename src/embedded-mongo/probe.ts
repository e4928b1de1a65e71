import { deserialize } from 'bson';
import { connect } from 'node:net';
import { Doc } from './storage/documents';
import { FrameDecoder } from './wire/frame-decoder';
import { encodeOpMsg } from './wire/messages';

/** Who answers on an address: the process and, for an embedded server with a data directory, that directory. */
export interface ServerIdentity {
  pid: number;
  dbPath: string | null;
}

/**
 * Asks the server at host:port who it is (`serverStatus` for its pid, `getCmdLineOpts` for its data
 * directory). Null when nothing answers in time or the answer is not a MongoDB reply.
 */
export function probeEmbeddedServer(host: string, port: number, timeoutMs = 2000): Promise<ServerIdentity | null> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const decoder = new FrameDecoder();
    const replies: Doc[] = [];
    const finish = (identity: ServerIdentity | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(identity);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('connect', () => {
      socket.write(encodeOpMsg(1, 0, { serverStatus: 1, $db: 'admin' }));
      socket.write(encodeOpMsg(2, 0, { getCmdLineOpts: 1, $db: 'admin' }));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) replies.push(deserialize(frame.payload.subarray(5)));
      } catch {
        finish(null);
        return;
      }
      if (replies.length < 2) return;
      const [status, options] = replies;
      const storage = (options.parsed as { storage?: { dbPath?: unknown } } | undefined)?.storage;
      const pid = typeof status.pid === 'number' ? status.pid : Number(status.pid);
      finish(
        Number.isFinite(pid) ? { pid, dbPath: typeof storage?.dbPath === 'string' ? storage.dbPath : null } : null,
      );
    });
  });
}
