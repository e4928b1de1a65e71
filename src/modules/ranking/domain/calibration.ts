import { fitLogisticRegression, sigmoid } from './logistic-regression';
import { PlattCalibration } from './ranking-model';

export const IDENTITY_CALIBRATION: PlattCalibration = { a: 1, b: 0 };

/**
 * Fits Platt scaling p = sigmoid(a * margin + b) on held-out margins, with Platt's smoothed targets
 * so a small calibration split cannot push probabilities to 0 or 1. Falls back to the identity when
 * the fit would not be increasing (a <= 0), which keeps the calibrated score order-preserving.
 */
export function fitPlattCalibration(margins: readonly number[], labels: readonly number[]): PlattCalibration {
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return IDENTITY_CALIBRATION;
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  const targets = labels.map((y) => (y === 1 ? high : low));
  const fit = fitLogisticRegression(
    margins.map((m) => [m]),
    targets,
    { l2: 1e-6, maxIterations: 100 },
  );
  const a = fit.weights[0];
  return a > 0 ? { a, b: fit.intercept } : IDENTITY_CALIBRATION;
}

/** Calibrated probability of a raw linear margin. */
export function calibrate(margin: number, calibration: PlattCalibration): number {
  return sigmoid(calibration.a * margin + calibration.b);
}
