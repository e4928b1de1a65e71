import { splitLines } from './event-line';
import { LineScanner, shardOf, UNSURE } from './line-owners';

const SHARDS = 7;

function scan(text: string): Array<{ line: string; owner: number }> {
  const bytes = Buffer.from(text, 'utf8');
  const out: Array<{ line: string; owner: number }> = [];
  new LineScanner(SHARDS).scan(bytes, (start, end, owner) =>
    out.push({ line: bytes.toString('utf8', start, end), owner }),
  );
  return out;
}

describe('LineScanner', () => {
  it('places plain lines on the shard of the user id JSON.parse reads', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({ id: `e${i}`, userId: `user-${i * 7919}`, type: 'search', query: 'userId and "userId"' }),
    );
    const scanned = scan(lines.join('\n'));
    expect(scanned.map((s) => s.line)).toEqual(lines);
    for (const { line, owner } of scanned) {
      expect(owner).toBe(shardOf((JSON.parse(line) as { userId: string }).userId, SHARDS));
    }
    expect(new Set(scanned.map((s) => s.owner)).size).toBe(SHARDS);
  });

  it('reads through spaces around the colon', () => {
    expect(scan('{"id": "a", "userId" :\t"u1"}')[0].owner).toBe(shardOf('u1', SHARDS));
  });

  it.each([
    ['a blank line', '   '],
    ['no user id', '{"id":"a","type":"search"}'],
    ['a repeated key (the last one wins)', '{"userId":"a","userId":"b"}'],
    ['a nested key besides the real one', '{"properties":{"userId":"x"},"userId":"b"}'],
    ['a key spelled with an escape', '{"userId":"a","user\\u0049d":"b"}'],
    ['an escape in the value', '{"userId":"a\\"b"}'],
    ['a non-ASCII value', '{"userId":"zoë"}'],
    ['a number', '{"userId":42}'],
    ['an unterminated value', '{"userId":"abc'],
    ['the key as a value', '{"type":"userId"}'],
  ])('is unsure of %s', (_, line) => {
    expect(scan(line)).toEqual([{ line, owner: UNSURE }]);
  });

  it('keeps other escapes sure', () => {
    expect(scan('{"userId":"u1","query":"tab\\u0009 \\n"}')[0].owner).toBe(shardOf('u1', SHARDS));
  });

  it('cuts lines as readline does', () => {
    const text = '{"userId":"a"}\r\n\r{"userId":"b"}\n\n{"userId":"c"}\r{"userId":"d"}';
    expect(scan(text).map((s) => s.line)).toEqual(splitLines(text));
    expect(scan(`${text}\n`).map((s) => s.line)).toEqual(splitLines(`${text}\n`));
  });
});
