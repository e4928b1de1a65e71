import { Socket } from 'node:net';
import { dispatch } from '../commands/dispatch';
import { CommandContext } from '../commands/context';
import { helloReply } from '../commands/handshake';
import { ErrorCode, ServerError } from '../errors';
import { Doc } from '../storage/documents';
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
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly id: number,
    private readonly env: ConnectionEnvironment,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  private get stats() {
    return this.env.context.server.stats;
  }

  private receive(chunk: Buffer): void {
    this.stats.network.bytesIn += chunk.length;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      this.socket.destroy();
      return;
    }
    for (const frame of frames) this.queue = this.queue.then(() => this.process(frame));
  }

  private async process(frame: Frame): Promise<void> {
    if (this.socket.destroyed) return;
    this.stats.network.numRequests++;
    this.stats.connections.active++;
    try {
      const reply = await this.handle(frame);
      if (reply && !this.socket.destroyed) {
        this.stats.network.bytesOut += reply.length;
        this.socket.write(reply);
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        this.env.log(`connection ${this.id} failed: ${(error as Error).stack ?? String(error)}`);
      }
      this.socket.destroy();
    } finally {
      this.stats.connections.active--;
    }
  }

  private async execute(body: Doc, largestDocument: number): Promise<Doc> {
    const reply = await dispatch(body, { ...this.env.context, connectionId: this.id, largestDocument });
    try {
      this.env.commit();
    } catch (error) {
      this.env.log(`journal write failed: ${(error as Error).message}`);
      return new ServerError(ErrorCode.InternalError, `journal write failed: ${(error as Error).message}`).toDocument();
    }
    return reply;
  }

  private async handle(frame: Frame): Promise<Buffer | null> {
    if (frame.opCode === OpCode.msg) {
      const message = parseOpMsg(frame.payload, frame.message);
      const reply = await this.execute(message.body, message.largestDocument);
      return message.moreToCome ? null : this.encode(frame, reply);
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
