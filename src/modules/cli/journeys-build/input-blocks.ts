import { open } from 'node:fs/promises';

/** Raw bytes of whole lines: `length` bytes at the start of `bytes`, a buffer of its own that can be moved to a thread. */
export interface InputBlock {
  bytes: ArrayBuffer;
  length: number;
}

const LINE_FEED = 0x0a;

/**
 * Reads a file in blocks of about `size` bytes, each cut after its last line feed so that no line (nor a
 * CRLF pair, nor a UTF-8 sequence) is split between blocks; the last block holds whatever follows the
 * last line feed. Nothing is decoded here: the threads do that.
 */
export async function* inputBlocks(
  file: string,
  size: number,
  progress?: (bytes: number) => void,
): AsyncIterableIterator<InputBlock> {
  const handle = await open(file, 'r');
  try {
    let carry = new Uint8Array(0);
    let position = 0;
    for (;;) {
      const buffer = new Uint8Array(carry.length + size);
      buffer.set(carry);
      const { bytesRead } = await handle.read(buffer, carry.length, size, position);
      position += bytesRead;
      progress?.(position);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buffer.buffer, length: filled };
        return;
      }
      const cut = filled === 0 ? 0 : Buffer.from(buffer.buffer, 0, filled).lastIndexOf(LINE_FEED) + 1;
      // A line longer than a block waits for the next read.
      carry = buffer.slice(cut, filled);
      if (cut > 0) yield { bytes: buffer.buffer, length: cut };
    }
  } finally {
    await handle.close();
  }
}
