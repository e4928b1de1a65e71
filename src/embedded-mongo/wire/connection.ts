import { Socket } from 'node:net';
import { dispatch, showsNoData } from '../commands/dispatch';
import { CommandContext } from '../commands/context';
import { helloReply } from '../commands/handshake';
import { ErrorCode, ServerError } from '../errors';
import { Doc } from '../storage/documents';
import { whenReady } from '../storage/steps';
import { Frame, FrameDecoder, ProtocolError } from './frame-decoder';
import { OpCode, encodeOpMsg, encodeOpReply, parseOpMsg, parseOpQuery } from './messages';

/** What a connection needs from the server: shared state and the durability barrier. */
export interface ConnectionEnvironment {
  context: Omit<CommandContext, 'db' | 'connectionId' | 'largestDocument'>;
  /** Makes every change made so far durable; runs before any reply leaves the server. */
  commit(): void;
  nextRequestId(): number;
  log(message: string): void;
}

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

/**
 * Serves one TCP connection. Its requests run one after another, in order; a command that pauses
 * (a long read) lets other connections run meanwhile. A malformed frame closes this connection only.
 */
export class Connection {
  private readonly decoder = new FrameDecoder();
  private readonly backlog: Frame[] = [];
  /** The request being served, while it waits for a paused read. */
  private busy = false;
  /** The client half-closed: no more requests come, so the socket ends once the queue is served. */
  private ended = false;

  constructor(
    private readonly socket: Socket,
    private readonly id: number,
    private readonly env: ConnectionEnvironment,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      this.ended = true;
      this.pump();
    });
  }

  private get stats() {
    return this.env.context.server.stats;
  }

  private receive(chunk: Buffer): void {
    this.stats.network.bytesIn += chunk.length;
    try {
      for (const frame of this.decoder.push(chunk)) this.backlog.push(frame);
    } catch {
      this.socket.destroy();
      return;
    }
    this.pump();
  }

  /** Serves queued requests in order; synchronous ones back to back, a paused one resumes the queue when done. */
  private pump(): void {
    while (!this.busy && this.backlog.length > 0 && !this.socket.destroyed) {
      const frame = this.backlog.shift()!;
      this.stats.network.numRequests++;
      this.stats.connections.active++;
      let reply: Buffer | null | Promise<Buffer | null>;
      try {
        reply = this.handle(frame);
      } catch (error) {
        this.stats.connections.active--;
        this.fail(error);
        return;
      }
      if (!(reply instanceof Promise)) {
        this.stats.connections.active--;
        this.send(reply);
        continue;
      }
      this.busy = true;
      reply.then(
        (buffer) => {
          this.stats.connections.active--;
          this.busy = false;
          this.send(buffer);
          this.pump();
        },
        (error: unknown) => {
          this.stats.connections.active--;
          this.busy = false;
          this.fail(error);
        },
      );
    }
    if (this.ended && !this.busy && this.backlog.length === 0 && !this.socket.destroyed) this.socket.end();
  }

  private send(reply: Buffer | null): void {
    if (!reply || this.socket.destroyed) return;
    this.stats.network.bytesOut += reply.length;
    this.socket.write(reply);
  }

  private fail(error: unknown): void {
    if (!(error instanceof ProtocolError)) {
      this.env.log(`connection ${this.id} failed: ${(error as Error).stack ?? String(error)}`);
    }
    this.socket.destroy();
  }

  /**
   * Makes the changes made so far durable, then returns the command's reply (or the journal failure):
   * no reply shows data that is not in the journal.
   */
  private committed(reply: Doc): Doc {
    try {
      this.env.commit();
    } catch (error) {
      this.env.log(`journal write failed: ${(error as Error).message}`);
      return new ServerError(ErrorCode.InternalError, `journal write failed: ${(error as Error).message}`).toDocument();
    }
    return reply;
  }

  private handle(frame: Frame): Buffer | null | Promise<Buffer | null> {
    if (frame.opCode === OpCode.msg) {
      const message = parseOpMsg(frame.payload, frame.message);
      const context = { ...this.env.context, connectionId: this.id, largestDocument: message.largestDocument };
      return whenReady(dispatch(message.body, context), (reply) => {
        const durable = showsNoData(message.body) ? reply : this.committed(reply);
        return message.moreToCome ? null : this.encode(frame, durable);
      });
    }
    if (frame.opCode === OpCode.query) {
      const { namespace, query } = parseOpQuery(frame.payload);
      const name = Object.keys(query)[0];
      const reply =
        namespace.endsWith('.$cmd') && HANDSHAKE_COMMANDS.has(name)
          ? helloReply(this.id)
          : new ServerError(
              ErrorCode.UnsupportedOpQueryCommand,
              `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
            ).toDocument();
      return encodeOpReply(this.env.nextRequestId(), frame.requestId, 'ok' in reply ? reply : { ok: 0, ...reply });
    }
    throw new ProtocolError(`unsupported opCode ${frame.opCode}`);
  }

  private encode(frame: Frame, reply: Doc): Buffer {
    try {
      return encodeOpMsg(this.env.nextRequestId(), frame.requestId, reply);
    } catch (error) {
      const failure = new ServerError(
        ErrorCode.BSONObjectTooLarge,
        `reply could not be encoded: ${(error as Error).message}`,
      );
      return encodeOpMsg(this.env.nextRequestId(), frame.requestId, { ok: 0, ...failure.toDocument() });
    }
  }
}
