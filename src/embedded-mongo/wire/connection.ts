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

/** Serves one TCP connection; a malformed frame closes this connection and nothing else. */
export class Connection {
  private readonly decoder = new FrameDecoder();

  constructor(
    private readonly socket: Socket,
    private readonly id: number,
    private readonly env: ConnectionEnvironment,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.decoder.push(chunk)) {
        if (this.socket.destroyed) return;
        const reply = this.handle(frame);
        if (reply) this.socket.write(reply);
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        this.env.log(`connection ${this.id} failed: ${(error as Error).stack ?? String(error)}`);
      }
      this.socket.destroy();
    }
  }

  private execute(body: Doc, largestDocument: number): Doc {
    const reply = dispatch(body, { ...this.env.context, connectionId: this.id, largestDocument });
    try {
      this.env.commit();
    } catch (error) {
      this.env.log(`journal write failed: ${(error as Error).message}`);
      return new ServerError(ErrorCode.InternalError, `journal write failed: ${(error as Error).message}`).toDocument();
    }
    return reply;
  }

  private handle(frame: Frame): Buffer | null {
    if (frame.opCode === OpCode.msg) {
      const message = parseOpMsg(frame.payload);
      const reply = this.execute(message.body, message.largestDocument);
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
