import { withinWidened } from './verify-effect.step';

describe('the demo check of a planted difference against a 95% interval', () => {
  // Estimate +33.2 points, 95% interval [+6.6, +59.9]: a standard error of 13.6 points.
  const interval = { estimate: 0.332, lower: 0.066, upper: 0.599 };

  it('accepts a planted difference the 95% interval misses by less than 3.29 standard errors', () => {
    expect(withinWidened(interval, 0.038, 0.05)).toBe(true); // 2.2 standard errors below
    expect(withinWidened(interval, 0.3, 0.05)).toBe(true);
  });

  it('refuses one further away, on either side', () => {
    expect(withinWidened(interval, -0.2, 0.05)).toBe(false); // 3.9 standard errors below
    expect(withinWidened(interval, 0.8, 0.05)).toBe(false);
  });

  it('reads the standard error from the report level, and refuses an interval without bounds', () => {
    // The same bounds at 99% mean a smaller standard error (10.3 points): 3.29 of them reach +34 points either way.
    expect(withinWidened(interval, 0.038, 0.01)).toBe(true);
    expect(withinWidened(interval, -0.1, 0.01)).toBe(false);
    expect(withinWidened({ estimate: 0.1, lower: null, upper: 0.2 }, 0.1, 0.05)).toBe(false);
  });
});
