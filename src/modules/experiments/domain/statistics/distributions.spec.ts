import reference from '../testing/reference/statistics-reference.json';
import { chiSquareSurvival, normalQuantile, normalTwoSided, studentTCritical, studentTTwoSided } from './distributions';
import { logGamma } from './special-functions';

/** Relative tolerance, absolute near 0 (ln Γ(1) = 0). */
const close = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), expected === 0 ? 1 : 1e-300),
  );

describe('distributions against the Python standard library and closed forms', () => {
  const d = reference.distributions;
  it.each(d.normalQuantile)('Φ⁻¹(%d)', (p, x) => close(normalQuantile(p), x, 1e-12));
  it.each(d.normalTwoSided)('two-sided normal tail at %d', (z, p) => close(normalTwoSided(z), p, 1e-12));
  it.each(d.studentTTwoSided)('two-sided t tail at t = %d, df = %d', (t, df, p) =>
    close(studentTTwoSided(t, df), p, 1e-9),
  );
  it.each(d.studentTCritical)('t critical value for p = %d, df = %d', (p, df, t) =>
    close(studentTCritical(p, df), t, 1e-9),
  );
  it.each(d.chiSquareSurvival)('χ² survival at %d, df = %d', (x, df, p) => close(chiSquareSurvival(x, df), p, 1e-11));
  it.each(d.logGamma)('ln Γ(%d)', (x, y) => close(logGamma(x), y, 1e-13));
});
