import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitLines } from './event-line';
import { inputBlocks } from './input-blocks';

describe('inputBlocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'input-blocks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function blocksOf(text: string, size: number): Promise<string[]> {
    const file = join(dir, 'input.jsonl');
    writeFileSync(file, text);
    const out: string[] = [];
    for await (const { bytes, length } of inputBlocks(file, size)) out.push(Buffer.from(bytes, 0, length).toString());
    return out;
  }

  const cases: Array<[string, string]> = [
    ['line feeds', 'alpha\nbeta\n\ngamma delta\nepsilon'],
    ['CRLF pairs', 'alpha\r\nbeta\r\n\r\ngamma delta\r\nepsilon\r\n'],
    ['carriage returns alone', 'alpha\rbeta\r\rgamma delta\repsilon\r'],
    ['mixed, with UTF-8', 'héllo wörld\r\nnaïve\rcafé\n\r\nmañana'],
    ['a line longer than a block', `short\n${'x'.repeat(50)}\nend\n`],
  ];

  it.each(cases)('cuts %s only between lines, whatever the block size', async (_, text) => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const blocks = await blocksOf(text, size);
      expect(blocks.join('')).toBe(text);
      expect(blocks.flatMap(splitLines)).toEqual(splitLines(text));
    }
  });

  it('yields nothing for an empty file', async () => {
    expect(await blocksOf('', 4)).toEqual([]);
  });
});
