import { shardOf } from './line-owners';
import { LineRouter, RoutedLines } from './routed-lines';

function blockOf(text: string) {
  const bytes = new SharedArrayBuffer(Buffer.byteLength(text) + 8);
  const length = Buffer.from(bytes).write(text);
  return { bytes, length };
}

const linesOf = ({ bytes, spans, lines, unsure }: RoutedLines) =>
  Array.from(lines, (line, i) => ({
    line,
    unsure: unsure[i] === 1,
    text: Buffer.from(bytes).toString('utf8', spans[2 * i], spans[2 * i + 1]),
  }));

describe('LineRouter', () => {
  const event = (userId: string) => JSON.stringify({ id: `e-${userId}`, userId, type: 'search', query: 'tea' });

  it("gives each thread only its own users' lines, numbered across blocks, and every thread the lines the scan cannot place", () => {
    const router = new LineRouter(3);
    const users = ['ann', 'bob', 'cy', 'dee', 'eve'];
    const first = router.route(blockOf(users.slice(0, 3).map(event).join('\n') + '\n'));
    const second = router.route(blockOf(['', event(users[3]), '{"broken"', event(users[4])].join('\r\n')));
    expect(router.lines).toBe(7);
    const owned = [1, 2, 3, 5, 7].map((line, i) => ({ line, shard: shardOf(users[i], 3), text: event(users[i]) }));
    for (let shard = 0; shard < 3; shard++) {
      const got = [...linesOf(first[shard]), ...linesOf(second[shard])];
      const mine = owned.filter((o) => o.shard === shard).map(({ line, text }) => ({ line, unsure: false, text }));
      const everyone = [
        { line: 4, unsure: true, text: '' },
        { line: 6, unsure: true, text: '{"broken"' },
      ];
      expect(got.sort((a, b) => a.line - b.line)).toEqual([...mine, ...everyone].sort((a, b) => a.line - b.line));
    }
  });

  it('refuses a block outside shared memory', () => {
    expect(() => new LineRouter(2).route({ bytes: new ArrayBuffer(4), length: 4 })).toThrow(/shared memory/);
  });
});
