import { buildAgreementReport } from './agreement-report';
import { JudgementReport } from './judgement-report';
import { renderAgreementMarkdown, renderAgreementText } from './render-agreement';
import { describeChange, renderJudgementMarkdown, renderJudgementText } from './render-judgement';

const report: JudgementReport = {
  judgementId: 'judge-1',
  buildRunId: 'full-2',
  trigger: 'manual',
  status: 'completed',
  model: 'judge-model',
  promptVersion: 'judge-v1',
  topK: 3,
  seed: 'journeycast',
  createdAt: '2026-03-01T06:00:00.000Z',
  finishedAt: '2026-03-01T06:02:00.000Z',
  counts: { sampled: 4, judged: 3, cached: 1, failed: 1, skippedForBudget: 0 },
  tokens: { spent: 2400, budget: 500000, exhausted: false },
  summary: {
    users: 3,
    journeys: 8,
    distribution: { '1': 1, '2': 0, '3': 2, '4': 3, '5': 2 },
    mean: 3.625,
    shareGood: 0.625,
    byRank: [{ rank: 1, journeys: 3, mean: 4.333 }],
  },
  worst: [{ userId: 'u1', journeyName: 'Pipe | Fitting', rank: 2, grade: 1, explanation: 'No support.' }],
  previous: { judgementId: 'judge-0', buildRunId: 'full-1', sameJudge: false },
  changes: [
    {
      metric: 'mean-grade',
      previous: 3.4,
      current: 3.625,
      difference: 0.225,
      lower: -0.1,
      upper: 0.55,
      pValue: 0.2,
      verdict: 'no-significant-change',
    },
  ],
  alert: { minMeanGrade: 3.5, triggered: false },
  failures: [{ userId: 'u4', reason: 'reply rejected: j1 is missing' }],
};

describe('judgement reports', () => {
  it('prints the distribution, mean, share ≥ 4, change, alert, worst examples and failures', () => {
    const text = renderJudgementText(report);
    expect(text).toContain('8 journeys graded: mean 3.63, 62.5% graded 4 or 5.');
    expect(text).toMatch(/ {2}4 {2}█+ +3 {2}37\.5%/);
    expect(text).toContain('Users judged 3 (1 from cache), failed 1, skipped for budget 0; tokens 2400 of 500000.');
    expect(text).toContain('(graded by another model or prompt version: not like for like)');
    expect(text).toContain('mean grade 3.40 → 3.63: +0.23 [-0.10, +0.55], no significant change');
    expect(text).toContain('Alert threshold 3.50: not triggered.');
    expect(text).toContain('  1  user u1, #2 "Pipe | Fitting": No support.');
    expect(text).toContain('user u4: reply rejected: j1 is missing');
  });

  it('writes Markdown with escaped table cells and the alert when triggered', () => {
    const md = renderJudgementMarkdown({ ...report, alert: { minMeanGrade: 3.7, triggered: true } });
    expect(md.startsWith('# Journey judgement of run `full-2`')).toBe(true);
    expect(md).toContain('| 4 | 3 | 37.5% |');
    expect(md).toContain('| 1 | u1 | 2 | Pipe \\| Fitting | No support. |');
    expect(md).toContain('**ALERT: mean grade 3.63 is below the alert threshold 3.70.**');
  });

  it('describes a share change in percentage points', () => {
    const change = describeChange({
      metric: 'share-good',
      previous: 0.5,
      current: 0.625,
      difference: 0.125,
      lower: 0.02,
      upper: 0.23,
      pValue: 0.01,
      verdict: 'improved',
    });
    expect(change).toBe('share graded 4 or 5 50.0% → 62.5%: +12.5 pts [+2.0, +23.0], improved');
  });
});

describe('agreement reports', () => {
  // Two users, perfect agreement on four journeys: every statistic is 1.
  const pairs = [
    { userId: 'a', journeyName: 'x', human: 1, judge: 1 },
    { userId: 'a', journeyName: 'y', human: 3, judge: 3 },
    { userId: 'b', journeyName: 'x', human: 4, judge: 4 },
    { userId: 'b', journeyName: 'y', human: 5, judge: 5 },
  ] as const;

  it('prints each statistic, the confusion table, unmatched labels and the verdict', () => {
    const r = buildAgreementReport(pairs.map((p) => ({ ...p })));
    const text = renderAgreementText(r, 2);
    expect(text).toContain('Agreement between the judge and people on 4 journeys of 2 users');
    expect(text).toContain('Spearman correlation 1.00');
    expect(text).toContain("Quadratic-weighted Cohen's kappa 1.00");
    expect(text).toContain('Exact agreement 1.00');
    expect(text).toContain('Within one grade 1.00');
    expect(text).toContain('2 labels matched no journey the judge graded and were left out.');
    expect(text).toContain('Not enough graded journeys for a verdict');
    const md = renderAgreementMarkdown(r, 0);
    expect(md).toContain('| 5 | 0 | 0 | 0 | 0 | 1 |');
    expect(md).not.toContain('left out');
  });
});
