import { dot } from './embedder';
import { extractEventKeywords } from './keywords';
import { keywordFeatures, sessionsOf } from './signals';
import { userKeyword } from './testing/keywords.fixture';
import { UserKeyword } from './user-keywords';

const MINUTE = 60_000;
const at = (minutes: number) =>
  extractEventKeywords({ type: 'search', occurredAt: new Date(minutes * MINUTE), query: 'x' });

function keyword(key: string, events: number[]): UserKeyword {
  return userKeyword(key, { events });
}

describe('sessionsOf', () => {
  it('starts a new session after a gap longer than the limit', () => {
    expect(sessionsOf([at(0), at(5), at(12), at(60), at(61), at(200)], 30 * MINUTE)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(sessionsOf([], 30 * MINUTE)).toEqual([]);
  });
});

describe('keywordFeatures', () => {
  const e = (x: number, y: number) => Float32Array.from([x, y]);
  // Events 0-1 are session 0, event 2 session 1, event 3 session 2.
  const sessions = [0, 0, 1, 2];

  it('is a unit vector mixing embedding and session profile by their shares', () => {
    const [f] = keywordFeatures([keyword('a', [0, 2])], [e(1, 0)], sessions, 0.35);
    expect(f).toHaveLength(2 + 3);
    expect(dot(f, f)).toBeCloseTo(1, 6);
  });

  it('makes keywords used in the same sessions closer than their embeddings alone', () => {
    const same = keywordFeatures([keyword('a', [0]), keyword('b', [1])], [e(1, 0), e(0, 1)], sessions, 0.35);
    const apart = keywordFeatures([keyword('a', [0]), keyword('b', [3])], [e(1, 0), e(0, 1)], sessions, 0.35);
    expect(dot(same[0], same[1])).toBeCloseTo(0.35, 6);
    expect(dot(apart[0], apart[1])).toBeCloseTo(0, 6);
  });

  it('reduces to the embedding cosine when sessions carry no weight', () => {
    const [a, b] = keywordFeatures([keyword('a', [0]), keyword('b', [1])], [e(1, 0), e(0.6, 0.8)], sessions, 0);
    expect(dot(a, b)).toBeCloseTo(0.6, 6);
  });
});
