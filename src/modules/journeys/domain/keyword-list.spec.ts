import { isItemShelf, tightKeywords } from './keyword-list';
import { ExtractedEvent, extractEventKeywords } from './keywords';
import { KeywordSource } from './journey';
import { userKeyword } from './testing/keywords.fixture';
import { UserKeyword } from './user-keywords';

const PARAMS = {
  minKeywordShare: 0.15,
  maxKeywords: 8,
  subsumedShare: 0.8,
  minKeywordEvents: 1,
  minKeywordUse: 0,
  keepKeywordShare: 1,
};

function kw(key: string, weight: number, events: number[], sources: KeywordSource[] = ['search']): UserKeyword {
  return userKeyword(key, { weight, events, sources });
}

const keys = (list: UserKeyword[]) => list.map((k) => k.key);

describe('tightKeywords', () => {
  it('lists strongest first and drops keywords far below the top one', () => {
    expect(keys(tightKeywords([kw('yoga', 2, [1]), kw('yin yoga', 10, [2]), kw('mat', 1, [3])], PARAMS))).toEqual([
      'yin yoga',
      'yoga',
    ]);
  });

  it('drops a word or phrase that almost only occurs inside a longer listed phrase', () => {
    const list = tightKeywords(
      [
        kw('trench coat', 5, [1, 2, 3, 4]),
        kw('trench', 5, [1, 2, 3, 4]),
        kw('coat', 6, [1, 2, 3, 4, 7, 8]),
        kw('japan rail pass', 4, [5, 6]),
        kw('rail pass', 4, [5, 6]),
      ],
      PARAMS,
    );
    expect(keys(list)).toEqual(['coat', 'trench coat', 'japan rail pass']);
  });

  it('keeps a word with support of its own and drops what only item titles say', () => {
    const list = tightKeywords(
      [
        kw('kitchen', 9, [1, 2, 3, 4, 5]),
        kw('kitchen cabinet', 8, [1, 2]),
        kw('minute', 8, [3], ['title']),
        kw('modern white', 8, [4], ['title']),
      ],
      PARAMS,
    );
    expect(keys(list)).toEqual(['kitchen', 'kitchen cabinet']);
  });

  it("lists the words someone chose, not the catalogue's shelves and titles, even when those are heavier", () => {
    const list = tightKeywords(
      [
        kw('drama', 30, [1, 2, 3, 4, 5, 6], ['category']),
        kw('strangelove', 20, [1, 2], ['title']),
        kw('dark comedy', 4, [3, 4], ['board']),
      ],
      PARAMS,
    );
    expect(keys(list)).toEqual(['dark comedy']);
  });

  it('lists and orders by what the user chose, not by how often the catalogue repeated a word they also chose', () => {
    const comedy = { ...kw('comedy', 12, [1, 2, 3, 4, 5, 6, 7, 8], ['board', 'title']), chosenWeight: 3 };
    const satire = { ...kw('satire', 6, [1, 2], ['board']), chosenWeight: 6 };
    expect(keys(tightKeywords([comedy, satire], PARAMS))).toEqual(['satire', 'comedy']);
  });

  it('lists words the user chose more than once before a word they chose once', () => {
    const once = { ...kw('heist', 9, [1, 4, 5], ['board', 'title']), chosenEvents: 1 };
    const twice = kw('noir', 3, [2, 3], ['board']);
    const params = { ...PARAMS, minKeywordEvents: 2 };
    expect(keys(tightKeywords([once, twice], params))).toEqual(['noir']);
    expect(keys(tightKeywords([once], params))).toEqual(['heist']);
  });

  it('never lists a pair nobody wrote whole', () => {
    const list = tightKeywords(
      [kw('organization clear', 9, [1, 2]), kw('closet organization', 8, [1, 2])].map((k, i) => ({
        ...k,
        standalone: i === 1,
      })),
      PARAMS,
    );
    expect(keys(list)).toEqual(['closet organization']);
  });

  it('falls back to title words when titles are all the journey has', () => {
    const list = tightKeywords(
      [kw('sneaker', 9, [1, 2, 3], ['title']), kw('white sneaker', 8, [1, 2], ['title'])],
      PARAMS,
    );
    expect(keys(list)).toEqual(['sneaker', 'white sneaker']);
  });

  it('caps the list length', () => {
    const many = Array.from({ length: 20 }, (_, i) => kw(`word${i}`, 10 - i * 0.1, [i]));
    expect(tightKeywords(many, PARAMS)).toHaveLength(8);
    expect(tightKeywords([], PARAMS)).toEqual([]);
  });
});

describe('isItemShelf', () => {
  const at = '2026-01-05T10:00:00Z';
  const saved = (board: string): ExtractedEvent =>
    extractEventKeywords({
      type: 'save',
      occurredAt: new Date(at),
      item: { id: 'm1', title: 'The Long Voyage' },
      board: { name: board },
    });
  const viewed = (): ExtractedEvent =>
    extractEventKeywords({ type: 'view', occurredAt: new Date(at), item: { id: 'm1', title: 'The Long Voyage' } });
  const title = [kw('long voyage', 6, [0, 1, 2], ['title'])];

  it('is a title repeated across events the user described in their own words', () => {
    expect(isItemShelf(title, [saved('sailing'), saved('sea stories'), saved('to watch')])).toBe(true);
  });

  it('is not a journey of catalogue text when that is all the user gave (views alone)', () => {
    expect(isItemShelf(title, [viewed(), viewed(), saved('sailing')])).toBe(false);
  });

  it('is never a journey that lists a word someone chose', () => {
    expect(isItemShelf([...title, kw('sailing', 3, [0], ['board'])], [saved('sailing'), saved('a'), saved('b')])).toBe(
      false,
    );
  });
});
