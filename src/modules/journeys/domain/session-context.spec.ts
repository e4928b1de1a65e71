import { extractEventKeywords } from './keywords';
import { claimBySession } from './session-context';

const MINUTE = 60_000;
const search = (minute: number, query: string) =>
  extractEventKeywords({ type: 'search', occurredAt: new Date(minute * MINUTE), query });
const view = (minute: number, title: string, category: string) =>
  extractEventKeywords({
    type: 'view',
    occurredAt: new Date(minute * MINUTE),
    item: { id: 'i', title, categories: [category] },
  });

describe('claimBySession', () => {
  const gap = 30 * MINUTE;

  it('gives an unclaimed event the journey of a session neighbour sharing a word, along chains', () => {
    const events = [
      search(0, 'orphan train'),
      search(2, 'orphan train movie'),
      search(4, 'movie times'),
      search(300, 'orphan'),
    ];
    // Only the first event was claimed (journey 0); the last one is in another session.
    expect(claimBySession(events, [[0]], gap)).toEqual([[0, 1, 2]]);
  });

  it('moves linked events of one session to the journey most of them were given', () => {
    const events = [search(0, 'lighthouse tours'), search(1, 'maine lighthouse tours'), search(2, 'lighthouse keeper')];
    expect(claimBySession(events, [[0, 1], [2]], gap)).toEqual([[0, 1, 2], []]);
  });

  it('does not link events through generic words or catalogue text', () => {
    const events = [search(0, 'home kitchen'), search(1, 'home garden'), view(2, 'Kitchen Garden Book', 'books')];
    const generic = (w: string) => w === 'home';
    expect(claimBySession(events, [[0], [1]], gap, generic)).toEqual([[0], [1]]);
  });
});
