import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { ExtractedEvent, extractEventKeywords } from './keywords';
import { aggregateKeywords } from './user-keywords';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

function search(query: string, daysAgo: number): ExtractedEvent {
  return extractEventKeywords({ type: 'search', occurredAt: new Date(NOW - daysAgo * DAY), query });
}

function act(type: 'view' | 'click' | 'save', annotation: string, daysAgo: number): ExtractedEvent {
  return extractEventKeywords({
    type,
    occurredAt: new Date(NOW - daysAgo * DAY),
    item: { id: annotation, annotations: [annotation] },
  });
}

describe('aggregateKeywords', () => {
  it('with chosenOnce also returns the words and whole queries chosen once, not pairs cut out or titles', () => {
    const title = extractEventKeywords({
      type: 'view',
      occurredAt: new Date(NOW - DAY),
      item: { id: 'i', title: 'Glazed Stoneware Mugs' },
    });
    const events = [
      search('pottery wheel', 3),
      search('pottery wheel', 2),
      search('raku firing kiln temperature', 1),
      title,
    ];
    const keys = (chosenOnce: boolean) =>
      aggregateKeywords(events, NOW, DEFAULT_JOURNEY_PARAMS, undefined, { chosenOnce }).map((k) => k.key);
    expect(keys(false).sort()).toEqual(['pottery', 'pottery wheel', 'wheel']);
    const withOnce = keys(true);
    expect(withOnce.slice(0, 3).sort()).toEqual(['pottery', 'pottery wheel', 'wheel']);
    expect(withOnce.slice(3).sort()).toEqual(['firing', 'kiln', 'raku', 'temperature']);
  });

  it('weights saves over clicks over views', () => {
    const events = [
      act('view', 'yoga', 3),
      act('view', 'yoga', 2),
      act('click', 'knitting', 3),
      act('click', 'knitting', 2),
      act('save', 'baking', 3),
      act('save', 'baking', 2),
    ];
    expect(aggregateKeywords(events, NOW, DEFAULT_JOURNEY_PARAMS).map((k) => k.key)).toEqual([
      'baking',
      'knitting',
      'yoga',
    ]);
  });

  it('keeps apart the support of events where the user chose a keyword from where only an item title said it', () => {
    const saved = (board: string, title: string, daysAgo: number): ExtractedEvent =>
      extractEventKeywords({
        type: 'save',
        occurredAt: new Date(NOW - daysAgo * DAY),
        item: { id: title, title },
        board: { name: board },
      });
    const events = [saved('heist', 'Heist Night', 3), saved('noir', 'The Heist', 2), saved('noir', 'Heist Again', 1)];
    const byKey = new Map(aggregateKeywords(events, NOW, DEFAULT_JOURNEY_PARAMS).map((k) => [k.key, k]));
    const heist = byKey.get('heist')!;
    const noir = byKey.get('noir')!;
    expect(heist.events).toHaveLength(3);
    expect(heist.chosenEvents).toBe(1);
    expect(heist.chosenWeight).toBeLessThan(heist.weight);
    expect(noir.chosenEvents).toBe(2);
    expect(noir.chosenWeight).toBeCloseTo(noir.weight, 9);
  });

  it('decays weight with a long half-life', () => {
    const [k] = aggregateKeywords([search('yoga', 180), search('yoga', 180)], NOW, DEFAULT_JOURNEY_PARAMS);
    expect(k.weight).toBeCloseTo(2 * DEFAULT_JOURNEY_PARAMS.actionWeights.search * 0.5, 6);
  });

  it('keeps only keywords seen in enough events, with their metadata', () => {
    const events = [search('kitchen cabinets', 10), act('save', 'kitchen cabinet', 5), search('weather tomorrow', 1)];
    const keywords = aggregateKeywords(events, NOW, DEFAULT_JOURNEY_PARAMS);
    expect(keywords.map((k) => k.key).sort()).toEqual(['cabinet', 'kitchen', 'kitchen cabinet']);
    const phrase = keywords.find((k) => k.key === 'kitchen cabinet')!;
    expect(phrase).toMatchObject({
      sources: ['annotation', 'search'],
      actions: { search: 1, save: 1 },
      events: [0, 1],
    });
    expect(phrase.firstSeen).toBe(NOW - 10 * DAY);
    expect(phrase.lastSeen).toBe(NOW - 5 * DAY);
  });

  it('folds a rare misspelling into the supported keyword it resembles', () => {
    const events = [search('sourdough starter', 9), search('sourdough starter', 8), search('sourdogh starter', 7)];
    const keywords = aggregateKeywords(events, NOW, DEFAULT_JOURNEY_PARAMS);
    const phrase = keywords.find((k) => k.key === 'sourdough starter')!;
    expect(phrase.variants).toContain('sourdogh starter');
    expect(phrase.events).toEqual([0, 1, 2]);
  });

  it('returns nothing for no events', () => {
    expect(aggregateKeywords([], NOW, DEFAULT_JOURNEY_PARAMS)).toEqual([]);
  });
});
