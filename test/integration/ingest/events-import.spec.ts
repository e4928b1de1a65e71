import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventsImportService } from '../../../src/modules/ingest/events-import.service';
import { buildEvent, buildEvents } from '../../factories/event.factory';
import { useIngestContext } from './ingest-context';

describe(EventsImportService.name, () => {
  const ingest = useIngestContext('import');
  const events = () => ingest.events();
  const sut = () => ingest.context.get(EventsImportService);
  const dir = mkdtempSync(join(tmpdir(), 'jc-import-'));

  const writeJsonl = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };

  it('imports valid lines in batches and lists rejected lines by number and reason', async () => {
    const good = buildEvents(2500);
    const lines = good.map((e) => JSON.stringify(e));
    lines.splice(10, 0, '{"id": "broken"'); // line 11
    lines.splice(20, 0, ''); // line 21, blank: skipped, not rejected
    lines.splice(30, 0, JSON.stringify(buildEvent({ item: { id: 'i', title: 'x'.repeat(600) }, type: 'view' }))); // line 31
    const progress: number[] = [];
    const summary = await sut().importFile(writeJsonl('mixed.jsonl', lines), {
      batchSize: 1000,
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(summary).toEqual({
      lines: 2503,
      blank: 1,
      accepted: 2500,
      duplicates: 0,
      erased: 0,
      rejected: 2,
      rejections: [
        { line: 11, reason: 'not valid JSON' },
        { line: 31, reason: 'item.title: item.title must be at most 512 characters' },
      ],
    });
    expect(progress).toHaveLength(3);
    expect(await events().countDocuments()).toBe(2500);
  });

  it('counts a re-import as duplicates and stores nothing twice', async () => {
    const path = writeJsonl(
      'replay.jsonl',
      buildEvents(300).map((e) => JSON.stringify(e)),
    );
    await sut().importFile(path, { batchSize: 128 });
    const replay = await sut().importFile(path, { batchSize: 128 });
    expect(replay).toMatchObject({ accepted: 0, duplicates: 300, rejected: 0 });
    expect(await events().countDocuments()).toBe(300);
  });

  it('rejects a line whose \\u escapes leave half a surrogate pair, as the HTTP API does, so a re-import is all duplicates', async () => {
    const [plain, lone] = [buildEvent(), buildEvent()].map((e) => JSON.stringify(e));
    const path = writeJsonl('lone-surrogate.jsonl', [plain, lone.replace('"query":"', '"query":"\\ud800')]);
    const first = await sut().importFile(path);
    expect(first).toMatchObject({ accepted: 1, rejected: 1 });
    expect(first.rejections).toEqual([
      { line: 2, reason: 'query: query must be Unicode text: a \\u escape leaves half a surrogate pair' },
    ]);
    expect(await sut().importFile(path)).toMatchObject({ accepted: 0, duplicates: 1, rejected: 1 });
    expect(await events().countDocuments()).toBe(1);
  });

  it('rejects a line whose bytes are not UTF-8, as the HTTP API does, instead of storing U+FFFD for them', async () => {
    const [kept, latin1] = buildEvents(2).map((e) => JSON.stringify({ ...e, query: 'café' }));
    const path = join(dir, 'latin1.jsonl');
    // The second line as an editor saving in Latin-1 writes it: é is the single byte E9.
    writeFileSync(path, Buffer.concat([Buffer.from(`${kept}\n`, 'utf8'), Buffer.from(`${latin1}\n`, 'latin1')]));
    const summary = await sut().importFile(path);
    expect(summary).toMatchObject({
      lines: 2,
      accepted: 1,
      rejected: 1,
      rejections: [{ line: 2, reason: 'not valid UTF-8' }],
    });
    expect(await events().countDocuments()).toBe(1);
    expect(await events().findOne({ id: JSON.parse(kept).id })).toMatchObject({ query: 'café' });
  });

  it('reads a file that begins with a UTF-8 byte order mark, as editors on Windows save it', async () => {
    const [first, second] = buildEvents(2).map((e) => JSON.stringify(e));
    const path = join(dir, 'bom.jsonl');
    writeFileSync(path, `\ufeff${first}\r\n${second}\r\n`);
    expect(await sut().importFile(path)).toMatchObject({ lines: 2, accepted: 2, rejected: 0 });
  });

  it('rejects a line whose id is already used with other content, stored or on an earlier line, and imports the rest', async () => {
    const stored = buildEvent();
    await sut().importFile(writeJsonl('stored.jsonl', [JSON.stringify(stored)]));
    const [first, second, third] = buildEvents(3);
    const lines = [
      first,
      { ...stored, userId: 'user-2' }, // line 2: the stored event's id for another user
      'nope', // line 3
      stored, // line 4: a replay
      second,
      { ...second, query: 'walnut desk' }, // line 6: line 5's id with another query
      third,
      { ...third, occurredAt: new Date(Date.now() - 120_000).toISOString() }, // line 8, next batch: stored by line 7
    ].map((line) => (typeof line === 'string' ? line : JSON.stringify(line)));
    const summary = await sut().importFile(writeJsonl('reused.jsonl', lines), { batchSize: 6 });
    expect(summary).toEqual({
      lines: 8,
      blank: 0,
      accepted: 3,
      duplicates: 1,
      erased: 0,
      rejected: 4,
      rejections: [
        { line: 2, reason: `id: id ${stored.id} is already used by a stored event with another userId` },
        { line: 3, reason: 'not valid JSON' },
        { line: 6, reason: `id: id ${second.id} is already used by line 5 with another query` },
        { line: 8, reason: `id: id ${third.id} is already used by a stored event with another occurredAt` },
      ],
    });
    expect(await events().countDocuments()).toBe(4);
    expect(await events().findOne({ id: stored.id })).toMatchObject({ userId: stored.userId });
    expect(await events().findOne({ id: second.id })).not.toHaveProperty('query');
    expect(await events().findOne({ id: third.id })).toMatchObject({ occurredAt: new Date(third.occurredAt) });
  });

  it('rejects a line dated before 2000 by the same rule as the HTTP API and stores nothing of it', async () => {
    const [kept, old] = buildEvents(2);
    const lines = [kept, { ...old, occurredAt: '1800-06-01T12:00:00Z' }].map((e) => JSON.stringify(e));
    const summary = await sut().importFile(writeJsonl('old.jsonl', lines));
    expect(summary).toMatchObject({
      accepted: 1,
      rejected: 1,
      rejections: [{ line: 2, reason: 'occurredAt: occurredAt must not be before 2000-01-01T00:00:00Z' }],
    });
    expect(await events().countDocuments({ id: old.id })).toBe(0);
  });

  it('rejects a line whose userId is only invisible characters by the same rule as the HTTP API', async () => {
    const [kept, blank] = buildEvents(2);
    const lines = [kept, { ...blank, userId: '\u200b\ufeff' }].map((e) => JSON.stringify(e));
    const summary = await sut().importFile(writeJsonl('invisible.jsonl', lines));
    expect(summary).toMatchObject({ accepted: 1, rejected: 1, rejections: [{ line: 2 }] });
    expect(summary.rejections[0].reason).toMatch(/^userId: userId must not be blank/);
    expect(await events().countDocuments({ id: blank.id })).toBe(0);
  });

  it('caps the listed rejections but counts them all', async () => {
    const path = writeJsonl(
      'bad.jsonl',
      Array.from({ length: 40 }, () => 'nope'),
    );
    const summary = await sut().importFile(path, { maxRejectionsListed: 5 });
    expect(summary.rejected).toBe(40);
    expect(summary.rejections.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });
});
