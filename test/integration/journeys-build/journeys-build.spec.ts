import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePopulation } from '../../../src/lib/synthetic/population';
import { runJourneysBuild } from '../../../src/modules/cli/commands/journeys-build.command';
import { UserJourneysRecord } from '../../../src/modules/journeys/domain/journey';
import { priorModel } from '../../../src/modules/ranking/domain';
import { nodeEntryArgs } from '../../setup/compiled-app';

const NOW = '2026-03-01T12:00:00.000Z';
const ROOT = join(__dirname, '../../..');

function readRecords(file: string): UserJourneysRecord[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as UserJourneysRecord);
}

describe('journeys build (offline command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'journeys-build-'));
  const events = join(dir, 'events.jsonl');
  const population = generatePopulation({ seed: 5, users: 40, now: new Date(NOW), eventsPerUser: 60 });
  const lines = population.events.map((e) => JSON.stringify(e));
  // Line 3: not JSON; line 6: missing userId; line 9: in the future; then a line repeating an id and two blank lines.
  lines.splice(2, 0, '{"id": "broken"');
  lines.splice(5, 0, JSON.stringify({ id: 'x1', type: 'search', occurredAt: NOW, query: 'yoga' }));
  lines.splice(
    8,
    0,
    JSON.stringify({ id: 'x2', userId: 'u', type: 'search', occurredAt: '2027-01-01T00:00:00Z', query: 'yoga' }),
  );
  lines.push(lines[0], '', '  ', '');
  writeFileSync(events, lines.join('\n'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one contract-shaped line per user and counts what it skipped', async () => {
    const out = join(dir, 'journeys.jsonl');
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const summary = await runJourneysBuild({ events, now: NOW, out, saveModel: join(dir, 'model.json') });
    expect(stderr.mock.calls.map(([message]) => String(message))).toEqual([
      `${events} line 3: not valid JSON`,
      `${events} line 6: userId: userId is required`,
      `${events} line 9: occurredAt: occurredAt must not be more than 5 minutes in the future`,
    ]);
    stderr.mockRestore();
    expect(summary).toMatchObject({
      invalid: 3,
      blank: 2,
      duplicates: 1,
      events: population.events.length,
      users: 40,
    });
    const records = readRecords(out);
    expect(records.map((r) => r.userId)).toEqual([...new Set(population.events.map((e) => e.userId))].sort());
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(['generatedAt', 'journeys', 'userId']);
      expect(record.generatedAt).toBe(NOW);
      for (const j of record.journeys) {
        expect(Object.keys(j).sort()).toEqual(['confidence', 'keywords', 'name', 'score', 'stage', 'type']);
        for (const k of j.keywords) expect(Object.keys(k).sort()).toEqual(['text', 'weight']);
      }
      const scores = record.journeys.map((j) => j.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(records.reduce((n, r) => n + r.journeys.length, 0)).toBe(summary.journeys);
    expect(records.filter((r) => r.journeys.length >= 2).length).toBeGreaterThan(30);
  });

  it('reuses a saved model, cuts to --top and applies --config overrides', async () => {
    const full = readRecords(join(dir, 'journeys.jsonl'));
    const out = join(dir, 'top.jsonl');
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await runJourneysBuild({ events, now: NOW, out, top: 2, model: join(dir, 'model.json') });
    expect(readRecords(out)).toEqual(full.map((r) => ({ ...r, journeys: r.journeys.slice(0, 2) })));
    const config = join(dir, 'params.json');
    writeFileSync(config, JSON.stringify({ inference: { maxKeywords: 3 } }));
    await runJourneysBuild({ events, now: NOW, out, model: join(dir, 'model.json'), config });
    const tight = readRecords(out).flatMap((r) => r.journeys);
    expect(tight.length).toBeGreaterThan(0);
    for (const j of tight) expect(j.keywords.length).toBeLessThanOrEqual(3);
    jest.restoreAllMocks();
  });

  it('orders journeys with the given --ranker model', async () => {
    // A ranker that prefers ended journeys, the opposite of the prior: the order must follow the model.
    const prior = priorModel();
    const weights = prior.weights.map((w, i) => (prior.featureNames[i] === 'stage_ongoing' ? -8 : w));
    const rankerFile = join(dir, 'ranker.json');
    writeFileSync(rankerFile, JSON.stringify({ ...prior, version: 'prefers-ended', weights }));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = join(dir, 'ranked.jsonl');
    await runJourneysBuild({ events, now: NOW, out, model: join(dir, 'model.json'), ranker: rankerFile });
    jest.restoreAllMocks();
    const mixed = (records: UserJourneysRecord[]) =>
      records.filter((r) => new Set(r.journeys.map((j) => j.stage)).size === 2);
    const ranked = mixed(readRecords(out));
    const byPrior = mixed(readRecords(join(dir, 'journeys.jsonl')));
    expect(ranked.length).toBeGreaterThan(5);
    expect(ranked.every((r) => r.journeys[0].stage === 'ended')).toBe(true);
    expect(byPrior.filter((r) => r.journeys[0].stage === 'ongoing').length).toBeGreaterThan(byPrior.length / 2);
  });

  it('reports invalid lines by number on stderr and exits with 2 from the real CLI', () => {
    const out = join(dir, 'cli.jsonl');
    const run = spawnSync(
      process.execPath,
      [
        ...nodeEntryArgs('src/cli.ts'),
        'journeys',
        'build',
        '--events',
        events,
        '--now',
        NOW,
        '--out',
        out,
        '--top',
        '3',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
    );
    expect(run.stderr).toContain('events.jsonl line 3: not valid JSON');
    expect(run.stderr).toContain('line 6: userId: userId is required');
    expect(run.stderr).toMatch(/line 9: occurredAt: .*future/);
    expect(run.stderr).toMatch(/3 invalid, 2 blank \(skipped\), 1 duplicate ids; 40 users/);
    expect(run.status).toBe(2);
    expect(readRecords(out)).toHaveLength(40);
  });
});
