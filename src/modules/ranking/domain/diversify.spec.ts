import { diversify, DiversificationParams } from './diversify';
import { seededRandom, unitVector } from './testing/journeys.fixture';

const angle = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
const item = (id: string, score: number, embedding: number[]) => ({ id, score, embedding });
const params = (variant: DiversificationParams['variant'], penalty = 0.95, threshold = 0.8): DiversificationParams => ({
  penalty,
  threshold,
  variant,
});
const ids = (result: { item: { id: string } }[]) => result.map((r) => r.item.id);

describe('diversify (single-pass)', () => {
  it.each([
    // B is similar to A: 0.99 * 0.95 = 0.9405 still beats C at 0.9.
    [
      'a mild penalty keeps the order',
      [item('A', 1, [1, 0]), item('B', 0.99, [1, 0]), item('C', 0.9, [0, 1])],
      ['A', 'B', 'C'],
      [1, 0.9405, 0.9],
    ],
    // ...but not C at 0.95.
    [
      'the penalty lets a different journey overtake',
      [item('A', 1, [1, 0]), item('B', 0.99, [1, 0]), item('C', 0.95, [0, 1])],
      ['A', 'C', 'B'],
      [1, 0.95, 0.9405],
    ],
    // Three alike: occurrences 0, 1, 2 -> 1, 0.855, 0.85 * 0.9025 = 0.767125; D (0.8) passes the third.
    [
      'occurrence counts every similar journey above',
      [item('A', 1, [1, 0]), item('B', 0.9, [1, 0]), item('C', 0.85, [1, 0]), item('D', 0.8, [0, 1])],
      ['A', 'B', 'D', 'C'],
      [1, 0.855, 0.8, 0.767125],
    ],
  ])('%s', (_name, items, order, scores) => {
    const result = diversify(items, params('single-pass'));
    expect(ids(result)).toEqual(order);
    result.forEach((r, i) => expect(r.score).toBeCloseTo(scores[i], 12));
  });

  it('counts against the ranker order even when the input is unsorted', () => {
    const result = diversify(
      [item('B', 0.99, [1, 0]), item('C', 0.95, [0, 1]), item('A', 1, [1, 0])],
      params('single-pass'),
    );
    expect(ids(result)).toEqual(['A', 'C', 'B']);
    expect(result.map((r) => r.occurrence)).toEqual([0, 0, 1]);
  });

  it('treats similarity exactly at the threshold as similar', () => {
    const result = diversify([item('A', 1, [1, 0]), item('B', 0.99, [0.6, 0.8])], params('single-pass', 0.5, 0.6));
    expect(result[1].occurrence).toBe(1);
    expect(result[1].score).toBeCloseTo(0.495, 12);
  });
});

describe('diversify (greedy)', () => {
  // A~B and B~C are similar (30 degrees apart), A and C are not (60 degrees); D is unrelated.
  const chain = [
    item('A', 1, angle(0)),
    item('B', 0.97, angle(30)),
    item('C', 0.96, angle(60)),
    item('D', 0.93, angle(-90)),
  ];

  it('differs from single-pass by counting only journeys already picked', () => {
    // Single pass: B and C each have one similar journey above -> A 1, D 0.93, B 0.9215, C 0.912.
    expect(ids(diversify(chain, params('single-pass')))).toEqual(['A', 'D', 'B', 'C']);
    // Greedy: after A, C has no similar pick yet (0.96) and goes next; B then has two (0.97 * 0.9025).
    const greedy = diversify(chain, params('greedy'));
    expect(ids(greedy)).toEqual(['A', 'C', 'D', 'B']);
    expect(greedy.map((r) => r.occurrence)).toEqual([0, 0, 0, 2]);
    expect(greedy[3].score).toBeCloseTo(0.97 * 0.9025, 12);
  });

  it('returns non-increasing scores', () => {
    const random = seededRandom(17);
    const items = Array.from({ length: 20 }, (_, i) =>
      item(`j${i}`, random(), unitVector([random() - 0.5, random() - 0.5, random() - 0.5])),
    );
    for (const variant of ['single-pass', 'greedy'] as const) {
      const scores = diversify(items, params(variant, 0.7, 0.5)).map((r) => r.score);
      for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
    }
  });
});

describe('diversify (no penalty)', () => {
  it.each([params('none'), params('single-pass', 1), params('greedy', 1)])('sorts by score only: %p', (p) => {
    const items = [item('B', 0.5, [1, 0]), item('A', 0.9, [1, 0]), item('C', 0.5, [1, 0])];
    const result = diversify(items, p);
    expect(ids(result)).toEqual(['A', 'B', 'C']);
    expect(result.map((r) => r.score)).toEqual([0.9, 0.5, 0.5]);
  });

  it('ignores zero embeddings (no similarity can be measured)', () => {
    const result = diversify([item('A', 1, [0, 0]), item('B', 0.9, [0, 0])], params('single-pass'));
    expect(result.map((r) => r.occurrence)).toEqual([0, 0]);
  });
});
