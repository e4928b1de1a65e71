import {
  fitLogisticRegression,
  logisticGradient,
  logisticObjective,
  sigmoid,
  solveSymmetric,
} from './logistic-regression';
import { seededRandom } from './testing/journeys.fixture';

function syntheticProblem(seed: number, n: number, trueWeights: number[], bias: number) {
  const random = seededRandom(seed);
  const X = Array.from({ length: n }, () => trueWeights.map(() => random() * 4 - 2));
  const y = X.map((x) => (random() < sigmoid(bias + x.reduce((s, v, j) => s + v * trueWeights[j], 0)) ? 1 : 0));
  return { X, y };
}

describe('sigmoid', () => {
  it.each([
    [0, 0.5],
    [800, 1],
    [-800, 0],
    [Math.log(3), 0.75],
  ])('sigmoid(%p) = %p', (z, expected) => expect(sigmoid(z)).toBeCloseTo(expected, 12));
});

describe('logisticObjective', () => {
  it('is log 2 at zero weights, whatever the labels', () => {
    const X = [
      [1, 2],
      [3, -1],
      [0, 0],
    ];
    expect(logisticObjective(X, [1, 0, 1], [0, 0], 0, { l2: 0 })).toBeCloseTo(Math.log(2), 12);
  });

  it('adds (l2 / 2) |w|^2', () => {
    const X = [[0, 0]];
    expect(logisticObjective(X, [1], [3, 4], 0, { l2: 0.1 })).toBeCloseTo(Math.log(2) + 0.05 * 25, 12);
  });

  it('weights examples like duplicating them', () => {
    const X = [[1], [2], [-1]];
    const y = [1, 0, 1];
    const weighted = logisticObjective(X, y, [0.7], -0.2, { l2: 0.01, sampleWeights: [2, 1, 1] });
    const duplicated = logisticObjective([[1], [1], [2], [-1]], [1, 1, 0, 1], [0.7], -0.2, { l2: 0.01 });
    expect(weighted).toBeCloseTo(duplicated, 12);
  });
});

describe('logisticGradient', () => {
  it.each([1, 2, 3])('matches central finite differences (seed %p)', (seed) => {
    const { X, y } = syntheticProblem(seed, 40, [1, -2, 0.5], 0.3);
    const random = seededRandom(seed + 100);
    const w = [random() - 0.5, random() - 0.5, random() - 0.5];
    const c = random() - 0.5;
    const options = { l2: 0.05, sampleWeights: X.map(() => 0.5 + random()) };
    const grad = logisticGradient(X, y, w, c, options);
    const h = 1e-6;
    const numeric = [
      (logisticObjective(X, y, w, c + h, options) - logisticObjective(X, y, w, c - h, options)) / (2 * h),
      ...w.map((_, j) => {
        const plus = w.map((v, k) => (k === j ? v + h : v));
        const minus = w.map((v, k) => (k === j ? v - h : v));
        return (logisticObjective(X, y, plus, c, options) - logisticObjective(X, y, minus, c, options)) / (2 * h);
      }),
    ];
    grad.forEach((g, j) => expect(g).toBeCloseTo(numeric[j], 7));
  });
});

describe('solveSymmetric', () => {
  it('solves a positive definite system', () => {
    const A = [
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ];
    const x = solveSymmetric(A, [1, 2, 3]);
    const back = A.map((row) => row.reduce((s, v, j) => s + v * x[j], 0));
    back.forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3][i], 12));
  });
});

describe('fitLogisticRegression', () => {
  it('reaches a stationary point of the objective', () => {
    const { X, y } = syntheticProblem(5, 400, [1.5, -1, 0], -0.5);
    const fit = fitLogisticRegression(X, y, { l2: 0.01 });
    expect(fit.converged).toBe(true);
    const grad = logisticGradient(X, y, fit.weights, fit.intercept, { l2: 0.01 });
    grad.forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-8));
  });

  it('recovers the sign and rough size of planted weights', () => {
    const { X, y } = syntheticProblem(9, 4000, [1.5, -1, 0], -0.5);
    const fit = fitLogisticRegression(X, y, { l2: 1e-4 });
    expect(fit.weights[0]).toBeGreaterThan(1.2);
    expect(fit.weights[1]).toBeLessThan(-0.7);
    expect(Math.abs(fit.weights[2])).toBeLessThan(0.2);
  });

  it('shrinks weights as l2 grows', () => {
    const { X, y } = syntheticProblem(13, 300, [2, -2], 0);
    const norms = [0.001, 0.1, 10].map((l2) => Math.hypot(...fitLogisticRegression(X, y, { l2 }).weights));
    expect(norms[0]).toBeGreaterThan(norms[1]);
    expect(norms[1]).toBeGreaterThan(norms[2]);
  });

  it('stays finite on separable data thanks to L2', () => {
    const X = [[-2], [-1], [1], [2]];
    const fit = fitLogisticRegression(X, [0, 0, 1, 1], { l2: 0.01 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(1);
  });

  it('is deterministic', () => {
    const { X, y } = syntheticProblem(21, 200, [1, 1, -1], 0.2);
    expect(fitLogisticRegression(X, y, { l2: 0.05 })).toEqual(fitLogisticRegression(X, y, { l2: 0.05 }));
  });
});
