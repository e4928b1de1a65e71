import { pushExperiment } from '../testing/report.fixture';
import { aggregate } from './aggregate';
import { MetricArmDay, MetricArmDaySplit, ReportInput } from './report-model';
import { allocationOf, splitKey } from './splits';
import { cumulativeStrata, fallbackSplits, stratifiedSeries } from './strata';

const definition = pushExperiment({ holdoutShare: 0, metrics: { primary: 'click-rate' } });
const allocations = [
  { from: '2026-03-02', weights: { interest: 50, 'journey-llm': 50 }, holdoutShare: 0 },
  { from: '2026-03-09', weights: { interest: 90, 'journey-llm': 10 }, holdoutShare: 0 },
];
const [old, next] = allocations.map(splitKey);
const day = '2026-03-09';
const rate = (arm: string, n: number, clicks: number): MetricArmDay => ({
  metric: 'click-rate',
  arm,
  day,
  n,
  sum: clicks,
  sumSquares: clicks,
});
const part = (split: string, arm: string, n: number, clicks: number): MetricArmDaySplit => ({
  ...rate(arm, n, clicks),
  split,
});
const input = (metricsBySplit: MetricArmDaySplit[]): ReportInput => ({
  definition,
  asOf: '2026-03-20T00:00:00Z',
  assigned: [],
  delivered: [],
  metrics: [rate('interest', 2_800, 380), rate('journey-llm', 1_200, 280)],
  metricsBySplit,
  allocations,
});
const recorded = [
  part(old, 'interest', 1_000, 200),
  part(old, 'journey-llm', 1_000, 250),
  part(next, 'interest', 1_800, 180),
  part(next, 'journey-llm', 200, 30),
];

describe(stratifiedSeries.name, () => {
  const fallback = new Map([[day, next]]);

  it('keeps each arm of a day by split when the split rows add up to the day in every arm', () => {
    const { byArm, byDay } = stratifiedSeries(aggregate(input(recorded)), 'click-rate', fallback);
    expect(byDay).toEqual([]);
    expect(Object.fromEntries(byArm.get('journey-llm')!.get(day)!)).toEqual({
      [old]: { n: 1_000, sum: 250, sumSquares: 250 },
      [next]: { n: 200, sum: 30, sumSquares: 30 },
    });
  });

  it.each([
    ['no split rows at all (users assigned before splits were recorded)', []],
    [
      'clicks counted before the sums were kept by split',
      recorded.map((r, i) => (i === 1 ? { ...r, sum: 240, sumSquares: 240 } : r)),
    ],
    ['users of one arm with no split', recorded.slice(1)],
  ])('puts the whole day, in every arm, in the split of its period with %s', (_name, rows) => {
    const { byArm, byDay } = stratifiedSeries(aggregate(input(rows)), 'click-rate', fallback);
    expect(byDay).toEqual([day]);
    expect(Object.fromEntries(byArm.get('interest')!.get(day)!)).toEqual({
      [next]: { n: 2_800, sum: 380, sumSquares: 380 },
    });
    expect(Object.fromEntries(byArm.get('journey-llm')!.get(day)!)).toEqual({
      [next]: { n: 1_200, sum: 280, sumSquares: 280 },
    });
  });
});

describe(fallbackSplits.name, () => {
  it("takes each day's period, the first one before any, and the definition's own split without a history", () => {
    const days = ['2026-03-01', '2026-03-08', '2026-03-09', '2026-03-12'];
    expect([...fallbackSplits(days, allocations, definition).values()]).toEqual([old, old, next, next]);
    expect([...fallbackSplits(days, [], definition).values()]).toEqual(
      days.map(() => splitKey(allocationOf(definition, ''))),
    );
  });
});

describe(cumulativeStrata.name, () => {
  it('adds each day to the stratum of its split, weighted by the two arms’ users so far', () => {
    const { byArm } = stratifiedSeries(aggregate(input(recorded)), 'click-rate', new Map());
    const [after] = cumulativeStrata([day], byArm.get('interest'), byArm.get('journey-llm'));
    expect(after).toEqual([
      {
        control: { n: 1_000, sum: 200, sumSquares: 200 },
        treatment: { n: 1_000, sum: 250, sumSquares: 250 },
        weight: 2_000,
      },
      {
        control: { n: 1_800, sum: 180, sumSquares: 180 },
        treatment: { n: 200, sum: 30, sumSquares: 30 },
        weight: 2_000,
      },
    ]);
  });
});
