import { suppressedText } from './campaign-runs-output';

describe('suppressedText', () => {
  it('gives the total, then each reason with its count, largest first', () => {
    expect(suppressedText({ consent: 2, 'frequency-cap': 298 })).toBe('300 (frequency-cap 298, consent 2)');
    expect(suppressedText({ category: 1, consent: 1 })).toBe('2 (category 1, consent 1)');
  });

  it('says 0 when nothing was suppressed', () => {
    expect(suppressedText({})).toBe('0');
    expect(suppressedText({ consent: 0 })).toBe('0');
  });
});
