import { Document, deserialize, serialize } from 'bson';
import { Socket, connect } from 'node:net';

/** Builds an OP_MSG frame with a kind-0 body and optional kind-1 document sequences. */
export function opMsg(
  requestId: number,
  body: Document,
  sequences: Record<string, Document[]> = {},
  flags = 0,
): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags);
  const bodyBytes = Buffer.concat([flagBytes, ...parts]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + bodyBytes.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, bodyBytes]);
}

/** Decodes every OP_MSG reply body in a byte stream (stops at anything that is not OP_MSG). */
export function replies(stream: Buffer): Document[] {
  const out: Document[] = [];
  for (let at = 0; at + 16 <= stream.length;) {
    const length = stream.readInt32LE(at);
    if (stream.readInt32LE(at + 12) !== 2013 || at + length > stream.length) break;
    out.push(deserialize(stream.subarray(at + 21, at + length)));
    at += length;
  }
  return out;
}

/** Opens a socket, writes the given bytes, half-closes, and resolves with everything the server sent. */
export function exchange(port: number, ...chunks: Buffer[]): Promise<{ data: Buffer; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    socket.on('close', () => resolve({ data: Buffer.concat(received), closedByServer: true }));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      socket.end();
    });
  });
}
