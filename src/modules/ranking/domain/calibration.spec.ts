import { calibrate, fitPlattCalibration, IDENTITY_CALIBRATION } from './calibration';
import { sigmoid } from './logistic-regression';
import { seededRandom } from './testing/journeys.fixture';

function overconfidentMargins(seed: number, n: number) {
  const random = seededRandom(seed);
  const margins = Array.from({ length: n }, () => random() * 8 - 4);
  // The true probability is sigmoid(margin / 2): the raw margins are twice too confident.
  const labels = margins.map((m) => (random() < sigmoid(m / 2 - 0.5) ? 1 : 0));
  return { margins, labels };
}

describe('fitPlattCalibration', () => {
  it('recovers the slope and offset of a miscalibrated score', () => {
    const { margins, labels } = overconfidentMargins(4, 5000);
    const fit = fitPlattCalibration(margins, labels);
    expect(fit.a).toBeCloseTo(0.5, 1);
    expect(fit.b).toBeCloseTo(-0.5, 1);
  });

  it.each([1, 2, 3, 4, 5])('is monotone increasing in the margin (seed %p)', (seed) => {
    const { margins, labels } = overconfidentMargins(seed, 50);
    const fit = fitPlattCalibration(margins, labels);
    const grid = Array.from({ length: 41 }, (_, i) => -10 + i / 2);
    const probabilities = grid.map((m) => calibrate(m, fit));
    for (let i = 1; i < probabilities.length; i++) {
      expect(probabilities[i]).toBeGreaterThanOrEqual(probabilities[i - 1]);
    }
  });

  it.each([
    ['only positives', [1, 1, 1]],
    ['only negatives', [0, 0, 0]],
  ])('falls back to the identity with %s', (_name, labels) => {
    expect(fitPlattCalibration([0.1, 0.5, 2], labels)).toEqual(IDENTITY_CALIBRATION);
  });

  it('falls back to the identity when the held-out order is reversed', () => {
    expect(fitPlattCalibration([-2, -1, 1, 2], [1, 1, 0, 0])).toEqual(IDENTITY_CALIBRATION);
  });

  it('never reaches 0 or 1 on a perfectly separated split (smoothed targets)', () => {
    const fit = fitPlattCalibration([-3, -2, 2, 3], [0, 0, 1, 1]);
    expect(calibrate(3, fit)).toBeLessThan(0.9);
    expect(calibrate(-3, fit)).toBeGreaterThan(0.1);
  });
});
