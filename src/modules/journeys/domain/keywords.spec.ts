import { extractEventKeywords, phraseCandidates, sortEvents } from './keywords';

const at = new Date('2026-01-10T10:00:00Z');

describe('phraseCandidates', () => {
  it('yields the whole short phrase, its word pairs and its words, singularised in the key', () => {
    expect(phraseCandidates('White Kitchen Cabinets!')).toEqual([
      { key: 'white kitchen cabinet', surface: 'white kitchen cabinets', whole: true },
      { key: 'white kitchen', surface: 'white kitchen' },
      { key: 'kitchen cabinet', surface: 'kitchen cabinets' },
      { key: 'white', surface: 'white' },
      { key: 'kitchen', surface: 'kitchen' },
      { key: 'cabinet', surface: 'cabinets' },
    ]);
  });

  it('skips stopwords and generic modifiers, and long texts yield pairs but no whole phrase', () => {
    const keys = phraseCandidates('Best Subway Tile Backsplash Ideas for Small Kitchens').map((c) => c.key);
    expect(keys).toContain('subway tile');
    expect(keys).not.toContain('best');
    expect(keys).not.toContain('subway tile backsplash small kitchen');
  });

  it('marks a one-word text whole, and no part of a long text', () => {
    expect(phraseCandidates('Kitchens')).toEqual([{ key: 'kitchen', surface: 'kitchens', whole: true }]);
    expect(phraseCandidates('closet organization clear bins').filter((c) => c.whole)).toEqual([]);
  });

  it('keeps the words between the content words of a phrase in its surface, not in its key', () => {
    expect(phraseCandidates('Garden on a Budget')).toEqual([
      { key: 'garden budget', surface: 'garden on a budget', whole: true },
      { key: 'garden', surface: 'garden' },
      { key: 'budget', surface: 'budget' },
    ]);
    const phrases = phraseCandidates('The Tour of the Lakes map').filter((c) => c.key.includes(' '));
    expect(phrases).toEqual([
      { key: 'tour lake map', surface: 'tour of the lakes map', whole: true },
      { key: 'tour lake', surface: 'tour of the lakes' },
      { key: 'lake map', surface: 'lakes map' },
    ]);
  });

  it('returns nothing for text without content words', () => {
    expect(phraseCandidates('the best ideas')).toEqual([]);
  });
});

describe('extractEventKeywords', () => {
  it('collects every source once per key and keeps the action and time', () => {
    const e = extractEventKeywords({
      type: 'save',
      occurredAt: at,
      item: {
        id: 'i',
        title: 'Kitchen Island',
        annotations: ['kitchen island', 'kitchen'],
        categories: ['home improvement'],
      },
      board: { name: 'Dream Kitchen' },
    });
    expect(e.at).toBe(at.getTime());
    expect(e.type).toBe('save');
    expect(e.mentions.filter((m) => m.key === 'kitchen').map((m) => m.source)).toEqual([
      'title',
      'annotation',
      'board',
    ]);
    expect(e.mentions.map((m) => m.source)).toContain('category');
  });

  it('treats a search query as a search mention', () => {
    expect(
      extractEventKeywords({ type: 'search', occurredAt: at, query: 'marathon training plan' }).mentions[0],
    ).toEqual({
      key: 'marathon training plan',
      surface: 'marathon training plan',
      source: 'search',
      whole: true,
    });
  });
});

describe('sortEvents', () => {
  it('orders by time, then by content, whatever the input order', () => {
    const a = extractEventKeywords({ type: 'search', occurredAt: at, query: 'yoga' });
    const b = extractEventKeywords({ type: 'search', occurredAt: at, query: 'knitting' });
    const c = extractEventKeywords({
      type: 'view',
      occurredAt: new Date(at.getTime() - 1000),
      item: { id: 'x', title: 'Yarn' },
    });
    expect(sortEvents([a, b, c])).toEqual(sortEvents([b, c, a]));
    expect(sortEvents([a, b, c])[0]).toBe(c);
  });
});
