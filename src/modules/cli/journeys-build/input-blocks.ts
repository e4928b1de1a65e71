import { open } from 'node:fs/promises';

/**
 * Raw bytes of whole lines: `length` bytes at the start of `bytes`, a buffer of its own that can be moved to
 * a thread, or shared memory that every thread can read without a copy.
 */
export interface InputBlock {
  bytes: ArrayBuffer | SharedArrayBuffer;
  length: number;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Where to cut: after the last line feed, or, in text with carriage returns alone, after the last one
 * whose next byte is already read (and so cannot be the line feed of a CRLF pair); 0 when neither.
 */
function cutAfterLastBreak(bytes: Buffer): number {
  const feed = bytes.lastIndexOf(LINE_FEED);
  if (feed >= 0) return feed + 1;
  return bytes.length < 2 ? 0 : bytes.lastIndexOf(CARRIAGE_RETURN, bytes.length - 2) + 1;
}

/**
 * Reads a file in blocks of about `size` bytes, each cut after its last line feed so that no line (nor a
 * CRLF pair, nor a UTF-8 sequence) is split between blocks; the last block holds whatever follows the
 * last line feed. Nothing is decoded here: the threads do that. With `shared`, each block is read into a
 * SharedArrayBuffer.
 */
export async function* inputBlocks(
  file: string,
  size: number,
  progress?: (bytes: number) => void,
  shared = false,
): AsyncIterableIterator<InputBlock> {
  const handle = await open(file, 'r');
  try {
    let carry = new Uint8Array(0);
    let position = 0;
    for (;;) {
      const buffer = shared
        ? new Uint8Array(new SharedArrayBuffer(carry.length + size))
        : new Uint8Array(carry.length + size);
      buffer.set(carry);
      const { bytesRead } = await handle.read(buffer, carry.length, size, position);
      position += bytesRead;
      progress?.(position);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buffer.buffer, length: filled };
        return;
      }
      const cut = cutAfterLastBreak(Buffer.from(buffer.buffer, 0, filled));
      // A line longer than a block waits for the next read.
      carry = buffer.slice(cut, filled);
      if (cut > 0) yield { bytes: buffer.buffer, length: cut };
    }
  } finally {
    await handle.close();
  }
}
