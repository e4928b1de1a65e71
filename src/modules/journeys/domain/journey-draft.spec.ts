import { assignEvents } from './journey-draft';
import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { extractEventKeywords } from './keywords';
import { userKeyword } from './testing/keywords.fixture';

const at = new Date('2026-01-10T10:00:00Z');
const search = (query: string) => extractEventKeywords({ type: 'search', occurredAt: at, query });
const board = (name: string) => extractEventKeywords({ type: 'board', occurredAt: at, board: { name } });

describe('assignEvents', () => {
  const keywords = [userKeyword('kitchen'), userKeyword('white'), userKeyword('home', { specificity: 0.2 })];
  const clusters = [[0], [1], [2]];

  it('takes a whole one-word text as full evidence, and a word cut from a longer text as half', () => {
    const owned = assignEvents(
      [search('kitchen'), board('kitchen'), search('white kitchen cabinets')],
      keywords,
      clusters,
      DEFAULT_JOURNEY_PARAMS,
    );
    // "white" and "kitchen" are each half the evidence in the long query: neither reaches the threshold.
    expect(owned).toEqual([[0, 1], [], []]);
  });

  it('counts a generic keyword for little', () => {
    expect(assignEvents([search('home')], keywords, clusters, DEFAULT_JOURNEY_PARAMS)).toEqual([[], [], []]);
  });

  it('counts mentions of a folded misspelling for the keyword it was folded into', () => {
    const folded = [userKeyword('kitchen', { variants: ['kitchn'] })];
    expect(assignEvents([search('kitchn')], folded, [[0]], DEFAULT_JOURNEY_PARAMS)).toEqual([[0]]);
  });
});
