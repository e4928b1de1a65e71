import { parseEventLine } from './event-line';
import { shardOf, UNSURE } from './line-owners';
import { RoutedLines } from './routed-lines';
import { UserShard } from './user-shard';

/** What a thread's lines held: blank, repeated and invalid lines, and the invalid lines it reports. */
export interface ReadTally {
  /** Empty or whitespace-only lines: skipped, neither events nor invalid. */
  blank: number;
  duplicates: number;
  invalid: number;
  /** The first invalid lines this thread reports, in input order, with the reason. */
  details: Array<{ line: number; reason: string }>;
}

/**
 * One thread's part of the input: the lines the reading thread routed to it (see `LineRouter`), which it
 * decodes, parses, validates and extracts into its shard. Lines the scan could not place reach every thread;
 * the first thread reports them if they are invalid, so every invalid line is reported by exactly one
 * thread, under its line number in the whole input.
 */
export class OwnLines {
  readonly tally: ReadTally = { blank: 0, duplicates: 0, invalid: 0, details: [] };

  constructor(
    private readonly shard: number,
    private readonly shards: number,
    private readonly now: Date,
    private readonly into: UserShard,
    private readonly detailLimit: number,
  ) {}

  /** Takes in one block's routed lines, in input order. */
  read({ bytes, spans, lines, unsure }: RoutedLines): void {
    const buffer = Buffer.from(bytes);
    for (let i = 0; i < lines.length; i++) {
      const owner = unsure[i] === 1 ? UNSURE : this.shard;
      this.line(buffer.toString('utf8', spans[2 * i], spans[2 * i + 1]), lines[i], owner);
    }
  }

  private line(text: string, line: number, owner: number): void {
    const parsed = parseEventLine(text, this.now);
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
