import { GLOBAL_CONTROL_ARM } from '../assignment/assign';
import { pushExperiment } from '../testing/report.fixture';
import { buildExperimentReport } from './build-report';
import { ArmDayStatistics, leftOutNotes, reportInputFromStatistics } from './stored-statistics';

const row = (arm: string, day: string, assigned: number, clicks: number): ArmDayStatistics => ({
  arm,
  day,
  assigned,
  delivered: Math.floor(assigned * 0.9),
  sums: { 'click-rate': { sum: clicks, sumSquares: clicks }, 'email-open-rate': { sum: 3, sumSquares: 3 } },
});

describe(reportInputFromStatistics.name, () => {
  const definition = pushExperiment();
  const rows = [
    row('interest', '2026-03-02', 500, 20),
    row('journey-llm', '2026-03-02', 510, 31),
    row('holdout', '2026-03-02', 110, 0),
    row(GLOBAL_CONTROL_ARM, '2026-03-02', 40, 1),
    row('retired', '2026-03-02', 7, 0),
  ];

  it('counts every assigned user in n of every declared metric, with zeros for metrics never reached', () => {
    const { input } = reportInputFromStatistics(definition, rows, { asOf: new Date('2026-03-09T00:00:00Z') });
    expect(input.metrics.filter((m) => m.metric === 'click-rate')).toEqual([
      { metric: 'click-rate', arm: 'interest', day: '2026-03-02', n: 500, sum: 20, sumSquares: 20 },
      { metric: 'click-rate', arm: 'journey-llm', day: '2026-03-02', n: 510, sum: 31, sumSquares: 31 },
      { metric: 'click-rate', arm: 'holdout', day: '2026-03-02', n: 110, sum: 0, sumSquares: 0 },
    ]);
    expect(input.metrics.find((m) => m.metric === 'conversions-per-user')).toMatchObject({ n: 500, sum: 0 });
    expect(input.metrics.some((m) => (m.metric as string) === 'email-open-rate')).toBe(false);
    const report = buildExperimentReport(input);
    expect(report.arms.map((a) => [a.key, a.assigned, a.delivered])).toEqual([
      ['interest', 500, 450],
      ['journey-llm', 510, 459],
      ['holdout', 110, 99],
    ]);
  });

  it('gives the statistics by split of the rows that record them, with zeros for metrics not yet reached', () => {
    const bySplit: ArmDayStatistics = {
      ...row('interest', '2026-03-03', 30, 5),
      splits: { s1: 10, s2: 20 },
      splitSums: { s2: { 'click-rate': { sum: 5, sumSquares: 5 } } },
    };
    const { input } = reportInputFromStatistics(definition, [...rows, bySplit], { asOf: new Date() });
    expect(input.metricsBySplit?.filter((m) => m.metric === 'click-rate')).toEqual([
      { metric: 'click-rate', arm: 'interest', day: '2026-03-03', split: 's1', n: 10, sum: 0, sumSquares: 0 },
      { metric: 'click-rate', arm: 'interest', day: '2026-03-03', split: 's2', n: 20, sum: 5, sumSquares: 5 },
    ]);
    expect(reportInputFromStatistics(definition, rows, { asOf: new Date() }).input.metricsBySplit).toBeUndefined();
  });

  it('sets apart users of arms outside the definition and says who they are', () => {
    const { leftOut } = reportInputFromStatistics(definition, rows, { asOf: new Date() });
    expect(leftOut).toEqual([
      { arm: GLOBAL_CONTROL_ARM, assigned: 40 },
      { arm: 'retired', assigned: 7 },
    ]);
    const notes = leftOutNotes(leftOut);
    expect(notes[0]).toMatch(/^40 user\(s\) of the global control group/);
    expect(notes[1]).toMatch(/"retired", a variant the definition no longer has/);
  });
});
