import { AddressInfo, createConnection, createServer, Socket } from 'node:net';

/**
 * A TCP relay in front of a server (MongoDB, Redis) that a test can freeze: connections stay open and
 * bytes sent to it are read, but nothing reaches the server and no answer comes back, as from a server
 * that hangs. Thawing passes on what was held, in order, as a healed network would.
 */
export class TcpRelay {
  private frozen = false;
  private readonly sockets = new Set<Socket>();
  private held: Array<[Socket, Buffer]> = [];

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpRelay> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relay = new TcpRelay(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => relay.relay(client, createConnection(target)));
    return relay;
  }

  /** From now on, nothing passes either way; bytes are held. */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const [to, chunk] of this.held) if (!to.destroyed) to.write(chunk);
    this.held = [];
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstream: Socket): void {
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.sockets.add(from);
      from.on('data', (chunk) => {
        if (this.frozen) this.held.push([to, chunk]);
        else to.write(chunk);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}
