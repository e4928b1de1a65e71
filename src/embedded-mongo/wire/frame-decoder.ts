/** Wire limits advertised in `hello` and enforced on every incoming frame. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;
export const HEADER_SIZE = 16;

/** A frame the server refuses to interpret; the connection that sent it is closed. */
export class ProtocolError extends Error {}

export interface Frame {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** The bytes after the 16-byte header. */
  payload: Buffer;
}

/** Splits a TCP byte stream into length-prefixed MongoDB messages, rejecting impossible lengths early. */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Frame[] = [];
    while (this.pendingBytes >= 4) {
      const buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      this.pending = [buffer];
      const length = buffer.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new ProtocolError(`invalid message length ${length}`);
      }
      if (buffer.length < length) break;
      frames.push({
        requestId: buffer.readInt32LE(4),
        responseTo: buffer.readInt32LE(8),
        opCode: buffer.readInt32LE(12),
        payload: buffer.subarray(HEADER_SIZE, length),
      });
      const rest = buffer.subarray(length);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    return frames;
  }
}
