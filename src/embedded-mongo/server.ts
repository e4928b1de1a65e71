import { Server, Socket, createServer } from 'node:net';
import { Connection, ConnectionEnvironment } from './wire/connection';

/** The TCP listener; it tracks sockets so that close() never waits on an idle client. */
export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connectionCount = 0;

  constructor(env: Omit<ConnectionEnvironment, 'nextRequestId'>) {
    let requestId = 0;
    const full: ConnectionEnvironment = { ...env, nextRequestId: () => (requestId = (requestId + 1) | 0) };
    const { connections } = env.context.server.stats;
    // Half-open: a client that writes its requests and then half-closes still gets every reply; the
    // connection ends its side once the last queued request is answered.
    this.server = createServer({ allowHalfOpen: true }, (socket) => {
      this.sockets.add(socket);
      connections.current++;
      connections.totalCreated++;
      socket.on('close', () => {
        this.sockets.delete(socket);
        connections.current--;
      });
      new Connection(socket, ++this.connectionCount, full);
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      this.server.close(() => resolve());
    });
  }
}
