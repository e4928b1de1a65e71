import { parseEventLine } from './event-line';
import { InputBlock, inputBlocks } from './input-blocks';
import { LineScanner, shardOf, UNSURE } from './line-owners';
import { UserShard } from './user-shard';

/** Input bytes read at a time: large enough that a read is noise, small enough for a lively progress bar. */
const BLOCK_BYTES = 1 << 20;

/** What a thread's read of the input found: line counts, and the invalid lines it reports. */
export interface ReadTally {
  lines: number;
  /** Empty or whitespace-only lines: skipped, neither events nor invalid. */
  blank: number;
  duplicates: number;
  invalid: number;
  /** The first invalid lines this thread reports, in input order, with the reason. */
  details: Array<{ line: number; reason: string }>;
}

/**
 * One thread's read of the whole input (the page cache makes every thread's read cheap): a quick byte scan
 * finds each line's owner, and only the owner decodes, parses, validates and extracts the line. Lines the
 * scan cannot place are parsed by every thread; the first thread reports them if they are invalid, so every
 * invalid line is reported by exactly one thread, under its line number in the whole input.
 */
export class OwnLines {
  readonly tally: ReadTally = { lines: 0, blank: 0, duplicates: 0, invalid: 0, details: [] };
  private readonly blocks: AsyncIterator<InputBlock>;
  private readonly scanner: LineScanner;
  private position = 0;

  constructor(
    file: string,
    private readonly shard: number,
    private readonly shards: number,
    private readonly now: Date,
    private readonly into: UserShard,
    private readonly detailLimit: number,
    blockBytes = BLOCK_BYTES,
  ) {
    this.scanner = new LineScanner(shards);
    this.blocks = inputBlocks(file, blockBytes, (bytes) => (this.position = bytes));
  }

  /** Reads up to `blocks` more blocks; returns the bytes read so far and whether the input is done. */
  async read(blocks: number): Promise<{ bytes: number; done: boolean }> {
    for (let i = 0; i < blocks; i++) {
      const next = await this.blocks.next();
      if (next.done) return { bytes: this.position, done: true };
      const bytes = Buffer.from(next.value.bytes, 0, next.value.length);
      this.scanner.scan(bytes, (start, end, owner) => this.line(bytes, start, end, owner));
    }
    return { bytes: this.position, done: false };
  }

  private line(bytes: Buffer, start: number, end: number, owner: number): void {
    const line = ++this.tally.lines;
    if (owner !== UNSURE && owner !== this.shard) return;
    const parsed = parseEventLine(bytes.toString('utf8', start, end), this.now);
    if ('blank' in parsed) this.tally.blank++;
    else if ('invalid' in parsed) {
      if (owner === this.shard || this.shard === 0) this.invalid(line, parsed.invalid);
    } else {
      const actual = shardOf(parsed.event.userId, this.shards);
      if (owner !== UNSURE && actual !== owner) throw new Error(`line ${line}: the user id scan disagrees with JSON`);
      if (actual === this.shard && !this.into.add(parsed.event, line)) this.tally.duplicates++;
    }
  }

  private invalid(line: number, reason: string): void {
    if (this.tally.invalid++ < this.detailLimit) this.tally.details.push({ line, reason });
  }
}
