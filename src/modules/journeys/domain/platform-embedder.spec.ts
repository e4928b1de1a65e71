import { ExtractedEvent, extractEventKeywords, sortEvents } from './keywords';
import { PlatformEmbedder } from './platform-embedder';
import { trainPlatformEmbedder } from './platform-training';
import { fixtureHistories, FIXTURE_NOW, trainFixtureEmbedder } from './testing/platform.fixture';

describe(PlatformEmbedder.name, () => {
  const embedder = trainFixtureEmbedder();

  it('learns that keywords of one journey are close and of different journeys far apart', () => {
    expect(embedder.similarity('kitchen cabinet', 'quartz countertop')).toBeGreaterThan(0.4);
    expect(embedder.similarity('sourdough', 'bread scoring')).toBeGreaterThan(0.4);
    expect(embedder.similarity('kitchen cabinet', 'wedding dress')).toBeLessThan(0.2);
    expect(embedder.similarity('tokyo', 'marathon')).toBeLessThan(0.2);
  });

  it('embeds unseen misspellings and phrases through sub-words and known words', () => {
    expect(embedder.has('kitchen cabnet')).toBe(false);
    expect(embedder.similarity('kitchen cabnet', 'kitchen cabinet')).toBeGreaterThan(0.6);
    expect(embedder.similarity('sourdogh', 'sourdough')).toBeGreaterThan(0.5);
    expect(embedder.similarity('kitchen cabnet', 'wedding dress')).toBeLessThan(0.3);
  });

  it('returns unit vectors of its dimension, and zero when there is nothing to go on', () => {
    const v = embedder.embed('quartz countertop');
    expect(v).toHaveLength(embedder.dimension);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Math.hypot(...embedder.embed(''))).toBe(0);
  });

  it('round-trips through JSON with identical vectors', () => {
    const loaded = PlatformEmbedder.fromJSON(JSON.parse(JSON.stringify(embedder)));
    expect(loaded.vocab).toEqual(embedder.vocab);
    expect(Array.from(loaded.embed('yoga'))).toEqual(Array.from(embedder.embed('yoga')));
    expect(Array.from(loaded.embed('kitchen cabnet'))).toEqual(Array.from(embedder.embed('kitchen cabnet')));
    expect(loaded.recurrence?.toJSON()).toEqual(embedder.recurrence?.toJSON());
    expect(embedder.recurrence?.json.examples).toBeGreaterThan(0);
  });

  it('with minUsers 2, keeps no word that only one user wrote, however often: not in its vocabulary, lexicon or recurrence', () => {
    const searches = (queries: string[]): ExtractedEvent[] =>
      sortEvents(
        queries.map((query, i) =>
          extractEventKeywords({ type: 'search', occurredAt: new Date(FIXTURE_NOW.getTime() - i * 3_600_000), query }),
        ),
      );
    const own = searches(Array.from({ length: 30 }, (_, i) => (i % 2 ? 'zorblax quilting' : 'quilting patterns')));
    const other = searches(Array.from({ length: 30 }, () => 'quilting patterns'));
    const model = trainPlatformEmbedder(() => [...fixtureHistories(), own, other], { seed: 11, minUsers: 2 });
    expect(model.vocab).toContain('quilting');
    expect(model.vocab).not.toContain('zorblax');
    expect(JSON.stringify(model.toJSON())).not.toContain('zorblax');
  });

  it('is deterministic for a seed', () => {
    expect(JSON.stringify(trainFixtureEmbedder())).toBe(JSON.stringify(embedder));
  });

  it('refuses other formats and versions', () => {
    const json = embedder.toJSON();
    expect(() => PlatformEmbedder.fromJSON({ ...json, version: 99 })).toThrow(/version 99/);
    expect(() => PlatformEmbedder.fromJSON({ format: 'other' })).toThrow(/not a platform embedder/);
    expect(() => PlatformEmbedder.fromJSON({ ...json, vectors: 'AAAA' })).toThrow(/wrong length/);
    const recurrence = { ...json.recurrence!, rates: [] as number[] };
    expect(() => PlatformEmbedder.fromJSON({ ...json, recurrence })).toThrow(/recurrence rates/);
  });
});
