import {
  auc,
  calibrationTable,
  cosine,
  expectedCalibrationError,
  hitAtK,
  intraListSimilarity,
  logLoss,
  ndcgAtK,
} from './metrics';
import { seededRandom } from './testing/journeys.fixture';

describe('auc', () => {
  it.each([
    ['perfect order', [0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 1],
    ['reversed order', [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], 0],
    ['all scores tied', [0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0.5],
    ['one of four pairs misordered', [0.1, 0.6, 0.5, 0.9], [0, 0, 1, 1], 0.75],
    ['a tie across classes counts half', [0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1], 0.875],
  ])('%s', (_name, scores, labels, expected) => expect(auc(scores, labels)).toBeCloseTo(expected, 12));

  it('is NaN with a single class', () => expect(auc([0.1, 0.2], [1, 1])).toBeNaN());

  it('equals the pairwise definition on random data', () => {
    const random = seededRandom(3);
    const scores = Array.from({ length: 60 }, () => Math.round(random() * 10) / 10);
    const labels = scores.map(() => (random() < 0.4 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((sp, i) =>
      scores.forEach((sn, j) => {
        if (labels[i] !== 1 || labels[j] !== 0) return;
        pairs++;
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      }),
    );
    expect(auc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });
});

describe('logLoss', () => {
  it.each([
    [[0.5, 0.5], [1, 0], Math.log(2)],
    [[0.9], [1], -Math.log(0.9)],
    [[0.9], [0], -Math.log(0.1)],
  ])('logLoss(%p, %p)', (p, y, expected) => expect(logLoss(p, y)).toBeCloseTo(expected, 12));

  it('stays finite for confident mistakes', () => expect(Number.isFinite(logLoss([1, 0], [0, 1]))).toBe(true));
});

describe('calibrationTable', () => {
  it('bins predictions and reports observed rates', () => {
    const table = calibrationTable([0.05, 0.15, 0.12, 0.95, 1], [0, 1, 0, 1, 1], 10);
    expect(table).toEqual([
      { lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { lower: 0.1, upper: 0.2, count: 2, meanPredicted: expect.closeTo(0.135, 12), observedRate: 0.5 },
      { lower: 0.9, upper: 1, count: 2, meanPredicted: expect.closeTo(0.975, 12), observedRate: 1 },
    ]);
    expect(expectedCalibrationError(table)).toBeCloseTo((0.05 + 2 * 0.365 + 2 * 0.025) / 5, 12);
  });
});

describe('ndcgAtK and hitAtK', () => {
  it.each([
    ['relevant first', [1, 0, 0, 0], 3, 1, 1],
    ['relevant second', [0, 1, 0, 0], 3, 1 / Math.log2(3), 1],
    ['relevant below the cut', [0, 0, 0, 1], 3, 0, 0],
    ['two relevant, one in the top', [0, 1, 0, 1], 3, 1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 1],
  ])('%s', (_name, rels, k, ndcg, hit) => {
    expect(ndcgAtK(rels, k)).toBeCloseTo(ndcg, 12);
    expect(hitAtK(rels, k)).toBe(hit);
  });

  it('is NaN when nothing is relevant', () => expect(ndcgAtK([0, 0, 0], 3)).toBeNaN());
});

describe('cosine and intraListSimilarity', () => {
  it.each([
    [[1, 0], [1, 0], 1],
    [[1, 0], [0, 1], 0],
    [[1, 1], [-1, -1], -1],
    [[0, 0], [1, 0], 0],
  ])('cosine(%p, %p) = %p', (a, b, expected) => expect(cosine(a, b)).toBeCloseTo(expected, 12));

  it('averages the pairs of the top k only', () => {
    const list = [
      [1, 0],
      [1, 0],
      [0, 1],
      [1, 0],
    ];
    expect(intraListSimilarity(list, 3)).toBeCloseTo((1 + 0 + 0) / 3, 12);
    expect(intraListSimilarity(list, 1)).toBeNaN();
  });
});
