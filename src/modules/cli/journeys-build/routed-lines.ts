import { InputBlock } from './input-blocks';
import { LineScanner, UNSURE } from './line-owners';

/**
 * One block's lines for one thread: the block's bytes (shared memory every thread reads in place, nothing
 * copied), and for each line routed to the thread its byte range, its number in the whole input and whether
 * the quick scan was unsure of its owner (such lines go to every thread).
 */
export interface RoutedLines {
  bytes: SharedArrayBuffer;
  /** Start and end byte of each line, in pairs. */
  spans: Uint32Array;
  lines: Uint32Array;
  unsure: Uint8Array;
}

/** The typed arrays of a {@link RoutedLines}, moved to its thread rather than copied. */
export function transferablesOfRouted(routed: RoutedLines): ArrayBuffer[] {
  return [routed.spans.buffer, routed.lines.buffer, routed.unsure.buffer] as ArrayBuffer[];
}

/**
 * Splits the input, block by block, between the threads on the thread that reads it: one byte scan of each
 * line (see `LineScanner`) names its owner, and the owner alone gets the line to decode, parse and validate.
 * Counts every line, so the threads need not see the lines of others.
 */
export class LineRouter {
  private readonly scanner: LineScanner;
  private count = 0;

  constructor(private readonly shards: number) {
    this.scanner = new LineScanner(shards);
  }

  /** Lines seen so far. */
  get lines(): number {
    return this.count;
  }

  /** Each thread's lines of a block read into shared memory. */
  route(block: InputBlock): RoutedLines[] {
    if (!(block.bytes instanceof SharedArrayBuffer)) throw new Error('routed blocks are read into shared memory');
    const spans: number[][] = Array.from({ length: this.shards }, () => []);
    const lines: number[][] = Array.from({ length: this.shards }, () => []);
    const unsure: number[][] = Array.from({ length: this.shards }, () => []);
    const bytes = Buffer.from(block.bytes, 0, block.length);
    this.scanner.scan(bytes, (start, end, owner) => {
      const line = ++this.count;
      for (let shard = owner === UNSURE ? 0 : owner; shard < (owner === UNSURE ? this.shards : owner + 1); shard++) {
        spans[shard].push(start, end);
        lines[shard].push(line);
        unsure[shard].push(owner === UNSURE ? 1 : 0);
      }
    });
    return spans.map((_, shard) => ({
      bytes: block.bytes as SharedArrayBuffer,
      spans: Uint32Array.from(spans[shard]),
      lines: Uint32Array.from(lines[shard]),
      unsure: Uint8Array.from(unsure[shard]),
    }));
  }
}
