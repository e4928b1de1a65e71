import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Doc } from '../storage/documents';
import { encodeRecord } from './record-format';
import { readRecordFile } from './record-reader';

describe(readRecordFile.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-records-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams every record across chunk boundaries, also records larger than a chunk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer(), s: fc.string({ maxLength: 300 }) }, { noNullPrototype: true }), {
          maxLength: 40,
        }),
        fc.integer({ min: 9, max: 200 }),
        (records, chunk) => {
          const path = join(dir, `stream-${chunk}.bin`);
          const bytes = Buffer.concat(records.map(encodeRecord));
          writeFileSync(path, bytes);
          const read: Doc[] = [];
          const result = readRecordFile(path, (r) => read.push(r), chunk);
          expect(read).toEqual(records);
          expect(result).toEqual({ validBytes: bytes.length, count: records.length });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stops before a torn record, at any cut, with a small chunk', () => {
    const records = [{ a: 1 }, { b: 'x'.repeat(500) }, { c: 3 }];
    const bytes = Buffer.concat(records.map(encodeRecord));
    const firstTwo = encodeRecord(records[0]).length + encodeRecord(records[1]).length;
    for (let cut = firstTwo; cut < bytes.length; cut++) {
      const path = join(dir, 'torn.bin');
      writeFileSync(path, bytes.subarray(0, cut));
      const read: Doc[] = [];
      expect(readRecordFile(path, (r) => read.push(r), 64)).toEqual({ validBytes: firstTwo, count: 2 });
      expect(read).toEqual(records.slice(0, 2));
    }
  });
});
