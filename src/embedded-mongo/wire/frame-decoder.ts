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
  /** The whole message, header included (what an OP_MSG checksum covers). */
  message: Buffer;
}

/** Splits a TCP byte stream into length-prefixed MongoDB messages, rejecting impossible lengths early. */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Length of the message being assembled; 0 until its header has arrived. */
  private expected = 0;

  private readLength(): number {
    const head = this.pending[0].length >= 4 ? this.pending[0] : Buffer.concat(this.pending);
    const length = head.readInt32LE(0);
    if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) throw new ProtocolError(`invalid message length ${length}`);
    return length;
  }

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Frame[] = [];
    while (this.pendingBytes >= 4) {
      if (this.expected === 0) this.expected = this.readLength();
      // Chunks are joined only once a whole message is there, so large messages cost one copy.
      if (this.pendingBytes < this.expected) break;
      const buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      const length = this.expected;
      frames.push({
        requestId: buffer.readInt32LE(4),
        responseTo: buffer.readInt32LE(8),
        opCode: buffer.readInt32LE(12),
        payload: buffer.subarray(HEADER_SIZE, length),
        message: buffer.subarray(0, length),
      });
      const rest = buffer.subarray(length);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
      this.expected = 0;
    }
    return frames;
  }
}
