import { statsOfValues } from '../../experiments/domain';
import { compareJudgedRuns } from './run-change';

describe('compareJudgedRuns', () => {
  /*
   * Per-user mean grades: previous [3, 4, 5], current [4, 5, 5, 4].
   * previous: mean 4, variance ((−1)² + 0 + 1²)/2 = 1, so var/n = 1/3.
   * current: mean 4.5, variance 4·0.25/3 = 1/3, so var/n = 1/12.
   * difference +0.5, SE = √(1/3 + 1/12) = √(5/12) = 0.645497.
   * Welch df = (5/12)² / ((1/3)²/2 + (1/12)²/3) = (25/144) / (25/432) = 3; t(0.975, 3) = 3.182446.
   * 95% interval 0.5 ± 3.182446 · 0.645497 = 0.5 ± 2.054260 = [−1.554260, 2.554260]: no significant change.
   */
  it('gives the Welch interval of the mean grade over per-user values', () => {
    const previous = { meanGrade: statsOfValues([3, 4, 5]), shareGood: statsOfValues([0, 1, 1]) };
    const current = { meanGrade: statsOfValues([4, 5, 5, 4]), shareGood: statsOfValues([1, 1, 1, 1]) };
    const [mean] = compareJudgedRuns(previous, current);
    expect(mean.metric).toBe('mean-grade');
    expect(mean.previous).toBe(4);
    expect(mean.current).toBe(4.5);
    expect(mean.difference).toBeCloseTo(0.5, 12);
    expect(mean.lower).toBeCloseTo(-1.55426, 4);
    expect(mean.upper).toBeCloseTo(2.55426, 4);
    expect(mean.verdict).toBe('no-significant-change');
  });

  it('calls a clear drop worse', () => {
    const high = Array.from({ length: 80 }, (_, i) => 4 + (i % 3) * 0.5);
    const low = high.map((v) => v - 1);
    const [mean, share] = compareJudgedRuns(
      { meanGrade: statsOfValues(high), shareGood: statsOfValues(high.map(() => 1)) },
      { meanGrade: statsOfValues(low), shareGood: statsOfValues(low.map((v) => (v >= 4 ? 1 : 0))) },
    );
    expect(mean.verdict).toBe('worsened');
    expect(mean.upper!).toBeLessThan(0);
    expect(share.verdict).toBe('worsened');
  });

  it('has no interval with fewer than two users on a side', () => {
    const [mean] = compareJudgedRuns(
      { meanGrade: statsOfValues([4]), shareGood: statsOfValues([1]) },
      { meanGrade: statsOfValues([3, 4]), shareGood: statsOfValues([0, 1]) },
    );
    expect(mean).toMatchObject({ lower: null, upper: null, verdict: 'not-enough-data', difference: -0.5 });
  });
});
