import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePopulation } from '../../../src/lib/synthetic/population';
import { runJourneysBuild } from '../../../src/modules/cli/commands/journeys-build.command';
import { BuildThreads } from '../../../src/modules/cli/journeys-build/build-threads';
import { shardOf } from '../../../src/modules/cli/journeys-build/line-owners';
import { UserEventStore } from '../../../src/modules/journeys/domain/event-store';

const NOW = '2026-03-01T12:00:00.000Z';

describe('journeys build on worker threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'journeys-threads-'));
  const events = join(dir, 'events.jsonl');
  const population = generatePopulation({ seed: 9, users: 60, now: new Date(NOW), eventsPerUser: 50 });
  const lines = population.events.map((e) => JSON.stringify(e));
  // Invalid, blank and repeated lines spread over the input, and mixed line endings.
  lines.splice(7, 0, '{"id": "broken"');
  lines.splice(400, 0, '', '   ');
  lines.splice(1200, 0, JSON.stringify({ id: 'x1', type: 'search', occurredAt: NOW, query: 'yoga' }));
  lines.push(lines[30], lines[2000]);
  // The same id on users owned by different threads: the first in the input wins, wherever it lands.
  const original = JSON.parse(lines[1800]) as { userId: string };
  const otherShard = population.events.find((e) => shardOf(e.userId, 2) !== shardOf(original.userId, 2))!.userId;
  lines.splice(1300, 0, JSON.stringify({ ...original, userId: otherShard }));
  lines.push(JSON.stringify({ ...(JSON.parse(lines[40]) as object), userId: 'repeats-only' }));
  // Lines the quick user id scan cannot place (an escaped key, a non-ASCII id): every thread parses them.
  const spelled = JSON.stringify({ ...(JSON.parse(lines[900]) as object), id: 'spelled' }).replace(
    '"userId"',
    '"user\\u0049d"',
  );
  lines.splice(900, 0, spelled, JSON.stringify({ ...(JSON.parse(lines[950]) as object), id: 'accent', userId: 'zoë' }));
  writeFileSync(events, lines.map((line, i) => line + (i % 97 === 0 ? '\r\n' : '\n')).join(''));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function build(threads: number, out: string) {
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const summary = await runJourneysBuild({ events, now: NOW, out, threads });
      return { summary, messages: stderr.mock.calls.map(([m]) => String(m)), output: readFileSync(out) };
    } finally {
      stderr.mockRestore();
    }
  }

  it('writes the same bytes, counts and messages on two threads as on one', async () => {
    const one = await build(1, join(dir, 'one.jsonl'));
    const two = await build(2, join(dir, 'two.jsonl'));
    expect(one.summary).toMatchObject({ invalid: 2, blank: 2, duplicates: 4, users: 61, lines: lines.length });
    expect(one.messages).toEqual([
      `${events} line 8: not valid JSON`,
      `${events} line 1203: userId: userId is required`,
    ]);
    expect(two.messages).toEqual(one.messages);
    const { readSeconds: _r1, buildSeconds: _b1, threadCpu: mainCpu, ...counts } = one.summary;
    const { readSeconds: _r2, buildSeconds: _b2, threadCpu, ...threadedCounts } = two.summary;
    expect(threadedCounts).toEqual(counts);
    // CPU per phase: the main thread, then each worker thread.
    expect(mainCpu?.read).toHaveLength(1);
    expect(threadCpu?.read).toHaveLength(3);
    expect(threadCpu?.build).toHaveLength(3);
    expect(two.output.length).toBeGreaterThan(1000);
    expect(two.output.equals(one.output)).toBe(true);
  }, 120_000);

  it('reads input cut into many small blocks as one reader would', async () => {
    const single = new UserEventStore();
    const threads = new BuildThreads(2, new Date(NOW), 4096);
    const invalid: number[] = [];
    try {
      const read = await threads.readEvents(events, 50, (line) => invalid.push(line));
      expect(invalid).toEqual([8, 1203]);
      for (const line of readFileSync(events, 'utf8').split(/\r\n|\n/)) {
        if (line.trim() === '') continue;
        try {
          const raw = JSON.parse(line) as { id: string; userId: string; occurredAt: string; type: string };
          if (raw.userId) single.add({ ...raw, occurredAt: new Date(raw.occurredAt) } as never);
        } catch {
          // the broken line
        }
      }
      expect(read).toEqual({
        lines: lines.length,
        blank: 2,
        invalid: 2,
        duplicates: 4,
        events: single.events,
        users: 61,
      });
      expect(await threads.trainingLists()).toEqual([...single.eventLists()]);
    } finally {
      await threads.close();
    }
  }, 120_000);
});
