/** The owner of a line the quick scan cannot place: every thread parses it in full to find out. */
export const UNSURE = -1;

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const KEY = Buffer.from('"userId"');
// `\u0040`-`\u007f` escapes can spell the letters of `userId` in a key; other escapes cannot.
const LETTER_ESCAPE = Buffer.from('\\u00');

/** FNV-1a over bytes: the same number for a string's UTF-8 bytes wherever they are read. */
function fnv1aBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** The shard (0 to shards - 1) that owns a user: the same user always lands on the same thread. */
export function shardOf(userId: string, shards: number): number {
  const bytes = Buffer.from(userId, 'utf8');
  return fnv1aBytes(bytes, 0, bytes.length) % shards;
}

/**
 * Splits raw JSONL bytes into lines (CRLF, LF or CR, as `readline` does) and names each line's owner from
 * the bytes of its `"userId"` member alone, without decoding or parsing the line. The scan is sure only
 * when the key appears once, unescaped, with a plain printable-ASCII string value: then, if the line is a
 * valid event, that member is its top-level `userId` (a second one, or one spelled with escapes, makes the
 * scan unsure). Lines it is unsure of, including blank and malformed ones, get {@link UNSURE}.
 */
export class LineScanner {
  constructor(private readonly shards: number) {}

  /** Calls `visit` for each line of `bytes` in order with its byte range and owner. */
  scan(bytes: Buffer, visit: (start: number, end: number, owner: number) => void): void {
    const hasReturns = bytes.indexOf(CARRIAGE_RETURN) >= 0;
    let nextReturn = -1;
    let nextKey = -1;
    let nextEscape = -1;
    let at = 0;
    while (at < bytes.length) {
      let feed = bytes.indexOf(LINE_FEED, at);
      if (feed < 0) feed = bytes.length;
      let end = feed;
      let next = feed + 1;
      if (hasReturns) {
        if (nextReturn < at) nextReturn = indexOrEnd(bytes, CARRIAGE_RETURN, at);
        if (nextReturn < feed) [end, next] = [nextReturn, nextReturn + 1 === feed ? feed + 1 : nextReturn + 1];
      }
      if (nextKey < at) nextKey = indexOrEnd(bytes, KEY, at);
      if (nextEscape < at) nextEscape = indexOrEnd(bytes, LETTER_ESCAPE, at);
      let owner = UNSURE;
      if (nextKey < end && !escapesLetter(bytes, nextEscape, end)) {
        const key = nextKey;
        nextKey = indexOrEnd(bytes, KEY, key + 1);
        if (nextKey >= end) owner = this.ownerAt(bytes, key + KEY.length, end);
      }
      visit(at, end, owner);
      at = next;
    }
  }

  /** The owner from the value after the key at `at`, or UNSURE unless it is a plain ASCII string. */
  private ownerAt(bytes: Buffer, at: number, end: number): number {
    while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x09)) at++;
    if (bytes[at++] !== COLON) return UNSURE;
    while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x09)) at++;
    if (bytes[at++] !== QUOTE) return UNSURE;
    for (let i = at; i < end; i++) {
      const b = bytes[i];
      if (b === QUOTE) return fnv1aBytes(bytes, at, i) % this.shards;
      if (b === BACKSLASH || b < 0x20 || b > 0x7e) return UNSURE;
    }
    return UNSURE;
  }
}

function indexOrEnd(bytes: Buffer, value: number | Buffer, from: number): number {
  const at = bytes.indexOf(value, from);
  return at < 0 ? bytes.length : at;
}

/** Whether an escape before `end`, from the first one at `at`, could spell a letter (`\u004x`-`\u007x`). */
function escapesLetter(bytes: Buffer, at: number, end: number): boolean {
  for (; at < end; at = indexOrEnd(bytes, LETTER_ESCAPE, at + 1)) {
    const digit = bytes[at + LETTER_ESCAPE.length];
    if (digit >= 0x34 && digit <= 0x37) return true;
  }
  return false;
}
